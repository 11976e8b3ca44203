import { ruleTests } from './support/rules.js';

/** Values the PERSON detector must report exactly (self-written, invented people). */
const FOUND: Array<[string, string[]]> = [
  ['Please forward the contract to ms. Beatriz in accounting', ['Beatriz']],
  ['Rasmus, could you look at the failing job?', ['Rasmus']],
  ['Lindqvist began the review after lunch.', ['Lindqvist']],
  ['Wójcikowa wrote the first draft.', ['Wójcikowa']],
  ['They invited Brenwick, Sigrid and Matteo.', ['Brenwick', 'Sigrid', 'Matteo']],
  ['hi, my name is dorothea and I need help', ['dorothea']],
  ['I want to add my son Tobias to the plan', ['Tobias']],
  ['Ilse shouted at Joaquín: "Wait for me!"', ['Ilse', 'Joaquín']],
  ['The film was directed by Margit Oldacre and starring Oldacre', ['Margit Oldacre', 'Oldacre']],
  ['Please ask Maria van der Berg and Luis de la Cruz', ['Maria van der Berg', 'Luis de la Cruz']],
  ['Signed: Dr. Helen Okoro Jr. on file', ['Helen Okoro Jr.']],
  ['sigrid: see you at five\nrasmus: ok', ['sigrid', 'rasmus']],
  ['hello, my name is jean-luc', ['jean-luc']],
  ['张伟的电话是 13812345678，王小明的邮箱见附件', ['张伟', '王小明']],
  ['报销单已经转给欧阳晓峰。', ['欧阳晓峰']],
  ['李娜，你好！合同已经寄给郑涵静', ['李娜', '郑涵静']],
];

/** Texts where the PERSON detector must stay silent. */
const SILENT = [
  'Construction began in March and finished on time.',
  'Cool, can we ship version 3 tomorrow?',
  'However, could we move the meeting?',
  'Their single "Paper Harbor Lights" topped the chart.',
  'The ex-Member interview ran long.',
  'Quarterly Planning Review Meeting Notes Draft Version Two',
  'We walked down Main Street after the meeting.',
  'Iceland and Greenland are cold.',
  'my name is not important',
  'note: the build is green\nerror: none\nstatus: ok',
  'Lisbon said no.',
  'Python replied with an error.',
  'the file name is config.json',
  '单位的地址稍后公布，高铁站的电话也是',
  '周末，你好！明天，您好！',
  '文件已经发给高层，也转给全部门。',
  '我们的地址在北京',
];

// Inputs aimed at the new person anchors (titles, lists, vocatives, "name is", hyphens, label characters).
const FLOODS: Record<string, (n: number) => string> = {
  'name-is': (n) => 'name is '.repeat(n / 8),
  'lower-titles': (n) => 'ms. Anna '.repeat(n / 9),
  'lists': (n) => 'Anna, '.repeat(n / 6),
  'vocatives': (n) => 'Anna, can '.repeat(n / 10),
  'hyphen-caps': (n) => 'ex-Anna '.repeat(n / 8),
  'quotes': (n) => '"Anna Lee" '.repeat(n / 11),
  'apostrophes': (n) => "Anna's ".repeat(n / 7),
  'particles': (n) => 'Anna van der '.repeat(n / 13),
  'cn-labels': (n) => '联系人'.repeat(n / 3),
  'cn-honorifics': (n) => '先生'.repeat(n / 2),
  'cn-dots': (n) => '艾力·'.repeat(n / 3),
  'cn-possessives': (n) => '张伟的电话'.repeat(n / 5),
  'cn-greetings': (n) => '李娜，你好'.repeat(n / 5),
  'cn-send-to': (n) => '发给王'.repeat(n / 3),
};

ruleTests('PERSON', { found: FOUND, silent: SILENT, floods: FLOODS, warmUp: 'warm up Anna Lee 王小明先生' });
