import { ruleTests } from './support/rules.js';

/** Values the ADDRESS detector must report exactly (self-written, invented places). */
const FOUND: Array<[string, string[]]> = [
  ['Please deliver to Lindenweg 12, 10115 Waldheim before Friday.', ['Lindenweg 12, 10115 Waldheim']],
  ['Send it to Birkenstraße 4a please', ['Birkenstraße 4a']],
  ['He lives on Via dei Tigli 17 now.', ['Via dei Tigli 17']],
  ['Return it to 35 ul. Lipowa 8 Apt. 3\nBergstad\n, MZ\n Poland 02032 if unused.', ['35 ul. Lipowa 8 Apt. 3\nBergstad\n, MZ\n Poland 02032']],
  ['Invoice address: Kase tee 87\n Apt. 9\n Klarvik\n Estonia 40112', ['Kase tee 87\n Apt. 9\n Klarvik\n Estonia 40112']],
  ['It is at 91 Ahorn Str. 74 Suite 9 Rosenau Rheinland-Pfalz', ['91 Ahorn Str. 74 Suite 9 Rosenau Rheinland-Pfalz']],
  ['Mail it to Suite 12 480 Maple Street\nSpringfield, OR 97403 please', ['Suite 12 480 Maple Street\nSpringfield, OR 97403']],
  ['Office: 12 Harbor Road Apt. 5 MILLBROOK VIC\n555 201 4477 office', ['12 Harbor Road Apt. 5 MILLBROOK VIC']],
  ['Meet me at the corner of Alder 408 and Foxglove Greens', ['the corner of Alder 408 and Foxglove Greens']],
  ['Lina Moss\n> 88 Cedar Lane\n> Suite 4\n> Ashford\n> Norway 0150', ['88 Cedar Lane', 'Suite 4', 'Norway 0150']],
  ['send a new one to USNS Čapek\nFPO AA 65728? thanks', ['USNS Čapek\nFPO AA 65728']],
  ['The Bay office is at 12 Ridge Drive NW, Fairview, WA 98001.', ['12 Ridge Drive NW, Fairview, WA 98001']],
];

/** Texts where the ADDRESS detector must stay silent. */
const SILENT = [
  'Released on 12 March 2024 with fixes',
  'We walked down Main Street after the meeting and talked about the roadmap.',
  'Chapter 3 Section 4 covers caching; see Table 2 and Figure 5.',
  'Top 10 Songs of 2023',
  'The Brigade 5 tournament starts at noon',
  'During 1971, the team grew.',
  'Windows 11 Pro 23 builds later',
  'Meet me at 5 PM near Gate 12 Terminal 2.',
  'We moved to Build 42 Release Candidate 3 yesterday.',
  'Proceed to Boarding Gate 5 now',
  'Thank u 5 times',
  'Sent Via Email 5 minutes ago',
];

// Inputs aimed at the new address anchors (street words before numbers, units, corners, placeholders, 号).
const FLOODS: Record<string, (n: number) => string> = {
  'corner-of': (n) => 'the corner of '.repeat(n / 14),
  'corner-streets': (n) => 'corner of 1 Main Street and '.repeat(n / 28),
  'prefix-words': (n) => 'Via Rua Rue '.repeat(n / 12),
  'prefix-numbers': (n) => 'Via Roma 1 '.repeat(n / 11),
  'euro-streets': (n) => 'Lindenweg 1 '.repeat(n / 12),
  'units': (n) => 'Apt. 1 Suite 2 '.repeat(n / 15),
  'placeholders': (n) => '1 Main Street\n, nan\n, nan'.repeat(n / 25),
  'city-lines': (n) => '12 Main Street\nAshford\nAshford Ashford\n'.repeat(n / 38),
  'postcodes': (n) => '1 Main St, 12345 12345 '.repeat(n / 23),
  'hao': (n) => '号'.repeat(n),
  'po-anchors': (n) => 'APO APO PO '.repeat(n / 11),
};

ruleTests('ADDRESS', { found: FOUND, silent: SILENT, floods: FLOODS, warmUp: 'warm up 12 Main Street, Springfield, OR 97403' });
