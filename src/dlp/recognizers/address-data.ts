/**
 * Word lists for the ADDRESS recognizer, written from general knowledge of postal conventions
 * (USPS street suffixes, UK / Commonwealth street types, European street words); no real addresses.
 */
import { words } from './person-wordset.js';

/**
 * Street-type words written AFTER the street name (Maple Street, Baker St, Oak Ridge), English forms and
 * their common abbreviations (USPS Publication 28 suffixes, UK / Australian / NZ street types).
 */
export const STREET_SUFFIX = words(`
street streets st str road roads rd avenue ave av drive drives dr lane ln boulevard blvd bvd way ways wy court courts ct
place pl terrace ter tce parkway pkwy highway hwy circle circles cir crescent cres cr close cl square sq trail trl
alley aly plaza plz point points pt heights hts gardens garden gdns grove grv walk view vw ridge rdg hill hills
park parks row mews rise green greens loop pass path pike run bend bluff bluffs branch bridge brook brooks burg
bypass byp camp canyon cyn cape causeway cswy center centre ctr cliff cliffs common commons corner corners course
cove coves creek crk crest crossing xing curve dale dam divide estate estates expressway expy extension ext falls
ferry field fields flat flats ford fords forest forge forges fork forks fort freeway fwy gateway glen glens harbor
harbour haven hollow inlet island isle junction jct knoll knolls landing lake lakes lodge manor manors meadow meadows
mill mills mission motorway mount mountain neck orchard oval overpass parade pde passage pine pines plain plains port
prairie ramp ranch rapids rest route shoal shoals shore shores skyway spring springs spur square stravenue stream
summit trace track trafficway tunnel turnpike tpke underpass valley vly viaduct village vlg ville vista vis wharf
esplanade esp promenade quay grange chase gate wynd drove end approach broadway concourse
`);

/** Suffix words that are also ordinary words: they end a street only when a house number came first. */
export const WEAK_SUFFIX = words(`
park hill hills view point points heights gardens garden grove walk ridge square place row close way st run pass
green greens end gate field fields common corner course cove crest dale divide estate falls flat forge fork ford
glen haven lake landing lodge manor mill mission mount neck oval pine plain port rest route shore spring stream summit
trace track village vista chase bend branch bridge brook camp cape center centre lakes meadow meadows mountain island
isle junction
`);

/**
 * Street-type words written BEFORE the name (Rue de la Paix, Via Roma, Calle Mayor, ul. Długa), in Romance,
 * Slavic, Baltic and other languages, with abbreviations (a trailing dot is allowed on every entry).
 */
export const STREET_PREFIX = words(`
rue avenue av ave avenida avda boulevard bd bld bvd chemin allee allée impasse imp quai route rte place pl cours passage
via viale vicolo piazza piazzale piazzetta corso largo strada str contrada lungomare salita
calle carrer camino cami paseo pso plaza plazuela travesia travesía ronda rambla carretera ctra glorieta
rua travessa tv praça praca pc estrada alameda al largo beco ladeira rodovia
ul ulica ulitsa ulice aleja aleje al os osiedle plac pl prospekt pr pr-t bulevar bul bulevardul calea strada sos soseaua
trg trida náměstí namesti nám nam
odos leoforos plateia
`);

/**
 * Street-type words that follow the name as a separate, often lower-case word in Germanic, Nordic, Baltic,
 * Finno-Ugric and Turkish addresses (Lindenauer Str. 74, Petőfi út 5, Kase tee 3, Kongens gate 2).
 */
export const STREET_AFTER_WORD = words(`
str straße strasse weg gasse allee platz ring damm ufer
vej gade allé alle stræde gata gatan väg vägen gränd torg gate gaten vei veien veg vegen plass
katu tie kuja polku tori
laan straat weg plein dreef kade gracht singel
utca út u körút krt tér sor köz
tee tänav mnt pst puiestee iela gatve gatvė g.
cesta ulica ul trg
sokak sokağı sk cadde caddesi cad cd bulvarı blv
street road avenue drive lane boulevard
`);

/**
 * Endings of single-word street names (Lindenstraße 12, Kirkevegen 8, Hafnargata 3, Mannerheimintie 5),
 * matched case-insensitively at the end of a capitalized word of at least 5 letters.
 */
export const EURO_STREET_ENDINGS = [
  'straße', 'strasse', 'str', 'gasse', 'weg', 'allee', 'platz', 'damm', 'ufer', 'steig', 'pfad', 'chaussee', 'markt',
  'vej', 'vejen', 'gade', 'stræde', 'gata', 'gatan', 'vägen', 'väg', 'gränd', 'stigen', 'backe', 'torget',
  'veien', 'vegen', 'vei', 'veg', 'stien', 'bakken', 'plassen',
  'katu', 'tie', 'kuja', 'polku', 'tori', 'raitti', 'väylä', 'kaari', 'rinne',
  'laan', 'straat', 'plein', 'dreef', 'kade', 'gracht', 'singel', 'steeg', 'dijk', 'wei', 'leane', 'dyk',
  'utca', 'iela', 'gatve', 'tänav', 'ulice', 'ulica',
];

/** Unit designators (Apt. 4B, Suite 200, Unit 7, Flat 3, # 12, Room 101, Floor 3, PO Box 77). */
export const UNIT_WORDS = words('apt apartment suite ste unit flat fl floor room rm box bldg building lvl level dept #');

/** Missing-value placeholders that spreadsheet and dataframe exports put in empty address fields. */
export const PLACEHOLDERS = words('nan n/a na null none');

/** Lower-case particles inside street, city and region names (Rue de la Paix, Brod nad Lesem). */
export const NAME_PARTICLES = words('de del della dei degli delle di da do dos das du des la le les el los las van von der den het ter ten y e i et al sur upon on am an im nad pod na of');

/** Month names and abbreviations: "12 March 2024" is a date, not a street. */
export const MONTHS = words('january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec');

/** Two- and three-letter region codes: US states and territories, Canadian provinces, Australian states. */
export const REGION_CODES = new Set(
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP AB BC MB NB NL NS NT NU ON PE QC SK YT NSW VIC QLD SA WA TAS ACT NT'.split(' '),
);

/** Country names (English), for "..., Norway 0150" and "Germany" lines that end an address. */
export const COUNTRIES = words(`
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain bangladesh barbados
belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burundi cambodia cameroon canada chad chile
china colombia comoros congo croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt eritrea estonia eswatini ethiopia
fiji finland france gabon gambia georgia germany ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india
indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon
lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius mexico
micronesia moldova monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal netherlands nicaragua niger nigeria
norway oman pakistan palau panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia
seychelles singapore slovakia slovenia somalia spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand
togo tonga tunisia turkey türkiye turkmenistan tuvalu uganda ukraine uruguay usa uk uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe
deutschland españa italia nederland norge sverige suomi danmark polska österreich schweiz suisse brasil
`);

/** Two-word country names: first word -> second words. */
export const COUNTRY_PAIRS = new Map<string, string[]>([
  ['new', ['zealand']],
  ['south', ['africa', 'korea', 'sudan']],
  ['north', ['korea', 'macedonia']],
  ['united', ['states', 'kingdom']],
  ['czech', ['republic']],
  ['costa', ['rica']],
  ['sri', ['lanka']],
  ['saudi', ['arabia']],
  ['sierra', ['leone']],
  ['el', ['salvador']],
  ['puerto', ['rico']],
  ['hong', ['kong']],
  ['papua', ['new']],
  ['dominican', ['republic']],
  ['ivory', ['coast']],
  ['great', ['britain']],
]);

/** Common English words with a European street ending (Arcade, Brigade): never a street on their own. */
export const NOT_EURO_STREET = words('arcade blockade cascade barricade brigade renegade escapade accolade stockade comrade crusade lemonade marmalade promenade serenade tirade upgrade');

/** Words that name numbered things ("Gate 12 Terminal 2", "Build 42 Release 3"): never the name of a street on their own. */
export const NOT_STREET_NAME = words(`
terminal gate platform track exit release candidate version build chapter section part page step level phase stage round season
episode volume issue item table figure appendix grade class lesson unit module week day year hour minute question answer
player team group games goals points score results tips songs pro max plus mini ultra edition model series
email mail phone fax boarding flight bus train line tram seat row
`);
