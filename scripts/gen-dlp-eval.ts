/**
 * Generates eval/dlp/cases.jsonl: the repo's own labelled DLP evaluation set (self-written templates,
 * synthetic values with valid checksums from a seeded generator; no real people, no third-party text).
 * Run: npx tsx scripts/gen-dlp-eval.ts > eval/dlp/cases.jsonl
 */
import { cnIdCheckChar, luhn, usccCheckChar, USCC_ALPHABET } from '../src/dlp/checksums.js';

let seed = 20241123;
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
const pad = (n: number, w: number) => String(n).padStart(w, '0');

const REGIONS = ['110101', '110105', '310104', '310115', '440106', '440305', '330106', '320106', '510107', '420106', '610113', '370202'];
function idCard(): string {
  const p = pick(REGIONS) + int(1950, 2005) + pad(int(1, 12), 2) + pad(int(1, 28), 2) + digits(3);
  return p + cnIdCheckChar(p);
}
function badIdCard(): string {
  const id = idCard();
  const wrong = '0123456789X'.replace(id[17], '');
  return id.slice(0, 17) + pick(wrong.split(''));
}
function idCard15(): string {
  return pick(REGIONS) + pad(int(50, 98), 2) + pad(int(1, 12), 2) + pad(int(1, 28), 2) + digits(3);
}
function card(prefix: string, len: number): string {
  const body = prefix + digits(len - prefix.length - 1);
  for (let d = 0; d < 10; d++) if (luhn(body + d)) return body + d;
  throw new Error('unreachable');
}
function badCard(prefix: string, len: number): string {
  const c = card(prefix, len);
  return c.slice(0, -1) + ((Number(c[c.length - 1]) + 1) % 10);
}
const mobile = () => pick(['13', '15', '17', '18', '19']) + digits(9);
function uscc(): string {
  const first = pick(['91', '92', '12', '52', '93']) + pick(REGIONS);
  let body = first;
  while (body.length < 17) body += USCC_ALPHABET[int(0, 30)];
  return body + usccCheckChar(body);
}
const CN_SUR = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐'.split('');
const CN_COMPOUND = ['欧阳', '司马', '诸葛', '上官'];
const CN_GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉宇欣怡浩然子涵梓轩雨'.split('');
const cnName = () => (rnd() < 0.1 ? pick(CN_COMPOUND) : pick(CN_SUR)) + pick(CN_GIVEN) + (rnd() < 0.6 ? pick(CN_GIVEN) : '');
const EN_FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'Michael', 'Linda', 'David', 'Susan', 'Daniel', 'Emily', 'Thomas', 'Olivia', 'Kevin', 'Sarah', 'Andrew', 'Laura', 'Peter', 'Hannah'];
const EN_LAST = ['Parker', 'Holloway', 'Brennan', 'Castillo', 'Novak', 'Whitfield', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Kowalski', 'Fischer', 'Delgado', 'Harrington'];
const enName = () => `${pick(EN_FIRST)} ${pick(EN_LAST)}`;
const CN_ADDR = () =>
  pick(['北京市海淀区', '上海市浦东新区', '广东省深圳市南山区', '浙江省杭州市西湖区', '四川省成都市武侯区', '江苏省南京市鼓楼区']) +
  pick(['文三路', '科技园路', '中山北路', '人民大道', '学院路', '滨江大道']) +
  int(1, 999) + '号' + (rnd() < 0.4 ? `${int(1, 20)}栋${int(101, 2508)}室` : '');
const EN_ADDR = () => `${int(10, 9999)} ${pick(['Maple', 'Cedar', 'Harbor', 'Willow', 'Lakeview', 'Orchard'])} ${pick(['Street', 'Avenue', 'Road', 'Drive', 'Lane'])}, ${pick(['Springfield', 'Riverton', 'Fairview', 'Oakdale'])}, ${pick(['OR', 'TX', 'CA', 'NY'])} ${digits(5)}`;
const PROV = '京沪粤浙苏川鄂'.split('');
const plate = () => pick(PROV) + pick('ABCDEFG'.split('')) + (rnd() < 0.5 ? '·' : '') + (rnd() < 0.3 ? pick(['D', 'F']) + digits(5) : digits(3) + pick('ABCDEFGH'.split('')) + digits(1));
const ipv4 = () => `${pick(['192.0.2', '198.51.100', '203.0.113'])}.${int(1, 254)}`;
const ipv6 = () => `2001:db8:${int(1, 0xffff).toString(16)}::${int(1, 0xffff).toString(16)}`;
const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
const alnum = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789'[int(0, 57)]).join('');
const SECRETS = [
  () => 'sk-proj-FAKE' + alnum(32),
  () => 'sk-ant-api03-FAKE' + alnum(40),
  () => 'AKIAFAKE' + alnum(12).toUpperCase().replace(/[^A-Z0-9]/g, 'Q'),
  () => 'ghp_FAKE' + alnum(32),
  () => 'AIzaFAKE' + alnum(31),
  () => 'xoxb-' + digits(12) + '-FAKE' + alnum(16),
  () => 'sk_test_FAKE' + alnum(24),
  () => 'LTAI5tFAKE' + alnum(14),
];
const jwt = () => `eyJhbGciOiJIUzI1NiJ9.eyJ${alnum(24)}.${alnum(30)}`;
const fullwidth = (s: string) => s.replace(/[0-9A-Za-z@.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

type Slot = { type: string | null; value: string };
type Gen = () => Array<string | Slot>;
const S = (type: string, value: string): Slot => ({ type, value });
const N = (value: string): Slot => ({ type: null, value }); // a hard-negative value, unlabelled

const POSITIVE: Array<[string, Gen]> = [
  ['zh-id', () => ['身份证号：', S('CN_ID_CARD', idCard()), '，请核对。']],
  ['zh-id-spaced', () => { const v = idCard(); return ['证件号码 ', S('CN_ID_CARD', `${v.slice(0, 6)} ${v.slice(6, 14)} ${v.slice(14)}`), ' 已登记']; }],
  ['zh-id15', () => ['老身份证号 ', S('CN_ID_CARD', idCard15()), ' 需要换领']],
  ['zh-id-fullwidth', () => ['身份证：', S('CN_ID_CARD', fullwidth(idCard())), '。']],
  ['zh-mobile', () => ['手机：', S('CN_MOBILE', mobile()), '，微信同号']],
  ['zh-mobile-sep', () => { const m = mobile(); return ['联系电话 ', S('CN_MOBILE', `+86-${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`), ' 工作日可打']; }],
  ['zh-mobile-zw', () => { const m = mobile(); return ['请拨打', S('CN_MOBILE', `${m.slice(0, 3)}\u200b${m.slice(3)}`), '找我']; }],
  ['zh-landline', () => ['办公电话：', S('PHONE', `0${pick(['10', '21', '755', '571'])}-${digits(8)}`), '，转分机']],
  ['en-phone', () => ['Call me at ', S('PHONE', `(${int(201, 989)}) ${int(201, 989)}-${digits(4)}`), ' after 5pm.']],
  ['en-phone-intl', () => ['Office: ', S('PHONE', `+44 20 ${digits(4)} ${digits(4)}`), '.']],
  ['zh-card', () => ['卡号 ', S('BANK_CARD', card('622202', 19)), ' 是工资卡']],
  ['en-card', () => { const c = card('4', 16); return ['My card ', S('BANK_CARD', `${c.slice(0, 4)} ${c.slice(4, 8)} ${c.slice(8, 12)} ${c.slice(12)}`), ' was declined.']; }],
  ['en-card-amex', () => ['amex ', S('BANK_CARD', card('37', 15)), ' on file']],
  ['zh-uscc', () => ['统一社会信用代码：', S('CN_USCC', uscc()), '。']],
  ['zh-passport', () => ['护照号码：', S('PASSPORT', 'E' + digits(8)), '，有效期至2030年']],
  ['en-passport', () => ['Passport No. ', S('PASSPORT', digits(9)), ' issued in 2019']],
  ['en-email', () => ['Send it to ', S('EMAIL', `${pick(EN_FIRST).toLowerCase()}.${pick(EN_LAST).toLowerCase()}@example.com`), ' please.']],
  ['zh-email', () => ['发票会发到邮箱', S('EMAIL', `user${digits(3)}@mail.example.cn`), '，三个工作日内送达']],
  ['email-fullwidth', () => ['contact：', S('EMAIL', fullwidth(`li${digits(2)}@example.org`)), '']],
  ['ipv4', () => ['数据库主机 ', S('IP_ADDRESS', ipv4()), ':5432 连接超时']],
  ['ipv4-en', () => ['blocked from ', S('IP_ADDRESS', ipv4()), ' twice today']],
  ['ipv6', () => ['peer ', S('IP_ADDRESS', ipv6()), ' dropped']],
  ['secret-key', () => ['export API_KEY=', S('SECRET', pick(SECRETS)()), '\n']],
  ['secret-jwt', () => ['Authorization: Bearer ', S('SECRET', jwt()), '']],
  ['secret-url', () => ['DATABASE_URL=postgres://app:', S('SECRET', 'Fake' + alnum(10)), '@db.example.invalid:5432/app']],
  ['secret-pem', () => ['key:\n', S('SECRET', `-----BEGIN RSA PRIVATE KEY-----\nMIIFAKE${alnum(40)}\n-----END RSA PRIVATE KEY-----`), '\nthanks']],
  ['zh-paypw', () => ['我的支付密码是 ', S('SECRET', digits(6)), '，帮我记一下']],
  ['zh-loginpw', () => ['登录密码：', S('SECRET', `Fake#${alnum(6)}2024`), '']],
  ['en-password', () => ['my password is ', S('SECRET', `fake${alnum(5)}${digits(2)}`), ', keep it safe']],
  ['zh-person-label', () => ['联系人：', S('PERSON', cnName()), '，电话见附件']],
  ['zh-person-honorific', () => { const n = pick(CN_SUR); return ['请转告', S('PERSON', n), '先生明天开会']; }],
  ['zh-person-role', () => ['客户', S('PERSON', cnName()), '（手机 ', S('CN_MOBILE', mobile()), '）已确认']],
  ['zh-person-me', () => ['我叫', S('PERSON', cnName()), '，下周起负责售后工作']],
  ['en-person-name', () => ['My name is ', S('PERSON', enName()), '.']],
  ['en-person-title', () => ['The contract was countersigned by Dr. ', S('PERSON', enName()), ' last week.']],
  ['en-person-verb', () => [S('PERSON', pick(EN_FIRST)), ' said the build was fine']],
  ['zh-address', () => ['寄送地址：', S('ADDRESS', CN_ADDR()), '，工作日派送']],
  ['en-address', () => ['I live at ', S('ADDRESS', EN_ADDR()), '.']],
  ['plate', () => ['车牌号：', S('CN_LICENSE_PLATE', plate()), '，停在B2']],
  ['mixed-zh', () => ['新员工入职登记：', S('PERSON', cnName()), '，手机号 ', S('CN_MOBILE', mobile()), '，工作邮箱 ', S('EMAIL', `u${digits(4)}@example.com`), '，身份证 ', S('CN_ID_CARD', idCard()), '。']],
  ['mixed-en', () => ['Hi, this is ', S('PERSON', enName()), ', reach me at ', S('EMAIL', `me${digits(3)}@example.org`), ' or ', S('PHONE', `+1 ${int(201, 989)} ${int(201, 989)} ${digits(4)}`), '.']],
  ['en-person-prose', () => ['Yesterday ', S('PERSON', enName()), ' approved the budget for next quarter.']],
  ['en-person-thanks', () => ['Thanks, ', S('PERSON', pick(EN_FIRST)), '! The fix works.']],
  ['en-person-list', () => ['Attendees: ', S('PERSON', enName()), ', ', S('PERSON', enName()), ' and ', S('PERSON', enName()), '.']],
  ['zh-person-weak', () => ['请', S('PERSON', cnName()), '于明天前回复邮件']],
  ['zh-person-en-mixed', () => ['Please ask ', S('PERSON', cnName()), '老师 to review the PR']],
  ['en-address-lines', () => ['Ship to:\n', S('ADDRESS', `${int(10, 9999)} ${pick(['Maple', 'Cedar', 'Harbor'])} ${pick(['Street', 'Road', 'Drive'])}\n${pick(['Springfield', 'Riverton'])}, ${pick(['OR', 'TX'])} ${digits(5)}`), '\nThanks']],
  ['zh-address-city', () => ['公司在', S('ADDRESS', `${pick(['深圳', '杭州', '成都'])}${pick(['福田区', '西湖区', '高新区'])}${pick(['科技园路', '文三路', '天府大道'])}${int(1, 300)}号`), '，欢迎来访']],
  ['zh-landline-intl', () => ['Tel: ', S('PHONE', `+86 10 ${digits(4)} ${digits(4)}`), ' (office)']],
  ['card-dashes', () => { const c = card('5', 16); return ['信用卡 ', S('BANK_CARD', `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8, 12)}-${c.slice(12)}`), ' 已冻结']; }],
  ['id-json', () => ['{"user":{"id_card":"', S('CN_ID_CARD', idCard()), '","vip":true}}']],
  ['secret-token-kv', () => ['GITHUB_TOKEN: ', S('SECRET', 'ghp_FAKE' + alnum(32)), '']],
  ['tool-json', () => ['{"tool":"notify","input":{"phone":"', S('CN_MOBILE', mobile()), '","deliver_address":"', S('ADDRESS', CN_ADDR()), '"}}']],
];

const NEGATIVE: Array<[string, Gen]> = [
  ['order-no', () => ['订单号 ', N(`2024${digits(12)}`), ' 已发货']],
  ['order-mobile-like', () => ['订单号：', N(mobile()), '，请查询物流']],
  ['tracking', () => ['Tracking number ', N(`1Z${alnum(6).toUpperCase()}${digits(10)}`), ' is in transit.']],
  ['tracking-sf', () => ['快递单号 SF', N(digits(12)), ' 明天到']],
  ['bad-id', () => ['编号 ', N(badIdCard()), ' 校验失败']],
  ['bad-card', () => ['card ', N(badCard('4', 16)), ' failed the check']],
  ['uuid', () => ['request id ', N(`${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`), ' completed']],
  ['timestamp-ms', () => ['ts=', N(`17${digits(11)}`), ' level=info']],
  ['iso-time', () => ['started at ', N(`2024-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}T10:22:33Z`), '']],
  ['version', () => ['upgrade to v', N(`${int(1, 12)}.${int(0, 20)}.${int(0, 99)}.${int(0, 9999)}`), ' tonight']],
  ['win-build', () => ['Windows build ', N(`10.0.${int(10000, 22631)}.${int(1, 4000)}`), '']],
  ['sha', () => ['commit ', N(hex(40)), ' fixed it']],
  ['sha256', () => ['sha256:', N(hex(64)), '']],
  ['price', () => ['total ', N(`$${int(1, 9)},${digits(3)}.${digits(2)}`), ' incl. tax']],
  ['price-cny', () => ['合计 ¥', N(`${int(1, 99)},${digits(3)}.${digits(2)}`), ' 元']],
  ['date', () => ['会议定于 ', N(`2025-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`), ' 召开']],
  ['isbn', () => ['ISBN ', N(`978-7-${digits(3)}-${digits(5)}-${digits(1)}`), '']],
  ['code-ws', () => ['const total = items.reduce((a, b) => a + b.price * 1.13, 0); // ', N(`#${digits(4)}`), '']],
  ['zh-prose', () => [N('我们在城市里讨论和平问题，市场规模很大，北京时间下午三点开会。')]],
  ['en-prose', () => [N('The New York Times reported on Monday that the Support Team fixed the API in version 2.')]],
  ['masked-id', () => ['身份证 ', N(`310104********${digits(4)}`), ' 已脱敏']],
  ['masked-card', () => ['card ending ', N(`**** **** **** ${digits(4)}`), '']],
  ['password-prose', () => [N('Reset your password here; the password is required for login. 忘记密码怎么办？')]],
  ['port-list', () => ['ports ', N(`${int(1000, 9999)} ${int(1000, 9999)} ${int(1000, 9999)}`), ' open']],
  ['team-prose', () => [N('Meeting with the Product Team on Friday; Apple released iOS 17.2 and Google Cloud Run is down.')]],
  ['room-flight', () => ['Room ', N(`${int(100, 2999)}`), ', flight CA', N(digits(4)), ' departs 10:30, gate B', N(digits(2)), '']],
  ['zh-numbers-prose', () => ['第', N(`${int(1, 99)}`), '章第', N(`${int(1, 20)}`), '节，共 ', N(`${int(100, 999)}`), ' 页，售价 ', N(`${int(10, 99)}.${digits(2)}`), ' 元']],
  ['build-id', () => ['build #', N(digits(6)), ' of commit ', N(hex(12)), ' passed']],
  ['phone-like-code', () => ['error code ', N(`${int(100, 599)}-${digits(3)}-${digits(4)}`), ' (see docs)']],
  ['mac', () => ['mac ', N(`${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}`), '']],
];

function build(id: string, parts: Array<string | Slot>, tags: string[]): string {
  let text = '';
  const spans: Array<{ type: string; start: number; end: number }> = [];
  for (const p of parts) {
    if (typeof p === 'string') text += p;
    else {
      if (p.type) spans.push({ type: p.type, start: text.length, end: text.length + p.value.length });
      text += p.value;
    }
  }
  return JSON.stringify({ id, text, spans, tags });
}

const lines: string[] = [];
for (const [name, gen] of POSITIVE) for (let k = 0; k < 6; k++) lines.push(build(`repo:${name}-${k}`, gen(), [/^(zh|mixed-zh|tool)/.test(name) ? 'zh' : 'en', 'repo']));
for (const [name, gen] of NEGATIVE) for (let k = 0; k < 6; k++) lines.push(build(`repo:neg-${name}-${k}`, gen(), [/^(zh|order|tracking-sf|bad-id|price-cny|date|masked-id)/.test(name) ? 'zh' : 'en', 'repo', 'hard-negative']));

// Cases for the PERSON / ADDRESS rules added later (appended after the original cases so those keep their values).
// Every value below is invented for this set: street, place and person names are made up or generic.
const EU_STREET = ['Lindenweg', 'Birkenstraße', 'Ahornallee', 'Kirkevegen', 'Hafnargata', 'Eikenlaan', 'Rosengasse', 'Mäntytie', 'Bjørkeveien', 'Granvägen', 'Solvej', 'Ulmenstrasse'];
const EU_CITY = ['Waldheim', 'Nordby', 'Eikdal', 'Rosenau', 'Mälby', 'Lindholm', 'Bergstad', 'Klarvik'];
const PREFIX_STREET = () => `${pick(['Rue', 'Via', 'Calle', 'Rua', 'Avenida', 'Viale'])} ${pick(['des Lilas', 'del Sole', 'Mayor', 'das Flores', 'Central', 'dei Tigli', 'de la Fontaine'])}`;
const EN_STREET = () => `${pick(['Maple', 'Cedar', 'Harbor', 'Willow', 'Orchard', 'Juniper', 'Bramble'])} ${pick(['Street', 'Avenue', 'Road', 'Drive', 'Lane', 'Court', 'Terrace'])}`;
const EN_CITY = ['Springfield', 'Riverton', 'Fairview', 'Oakdale', 'Millbrook', 'Ashford'];
const COUNTRY = ['Norway', 'Germany', 'Netherlands', 'New Zealand', 'Czech Republic', 'South Africa', 'Italy'];
const GIVEN2 = ['Anneliese', 'Tobias', 'Margit', 'Ilse', 'Joaquín', 'Beatriz', 'Oskar', 'Agnieszka', 'Dorothea', 'Matteo', 'Sigrid', 'Rasmus'];
const SURNAME2 = ['Kowalski', 'Lindqvist', 'Moreau', 'Fischer', 'Novak', 'Kovačević', 'Johansson', 'Petrović', 'Castillo', 'Brennan'];
const HOUSE = () => `${int(1, 240)}`;

const RULE_POSITIVE: Array<[string, Gen]> = [
  ['addr-euro-number-after', () => ['Please deliver to ', S('ADDRESS', `${pick(EU_STREET)} ${HOUSE()}, ${digits(5)} ${pick(EU_CITY)}`), ' before Friday.']],
  ['addr-euro-leading-no', () => ['Our office: ', S('ADDRESS', `${int(10, 9999)} ${pick(EU_STREET)} ${HOUSE()}\n${pick(EU_CITY).toUpperCase()}\n${pick(COUNTRY)} ${digits(4)}`), '\nregards']],
  ['addr-prefix-street', () => ['He lives on ', S('ADDRESS', `${PREFIX_STREET()} ${HOUSE()}`), '.']],
  ['addr-separate-street-word', () => ['Invoice address: ', S('ADDRESS', `${pick(['Kongens', 'Petőfi', 'Kase', 'Pikk'])} ${pick(['gate', 'út', 'tee', 'utca'])} ${HOUSE()}, ${pick(EU_CITY)}`), '.']],
  ['addr-unit-first', () => ['Mail it to ', S('ADDRESS', `Apt. ${int(1, 400)} ${int(100, 9999)} ${EN_STREET()}\n${pick(EN_CITY)}, ${pick(['OR', 'TX', 'CA', 'NY'])} ${digits(5)}`), ' please']],
  ['addr-unit-then-city', () => ['The office is at ', S('ADDRESS', `${int(10, 9999)} ${EN_STREET()} Suite ${int(100, 999)} ${pick(EN_CITY)} ${pick(COUNTRY)}`), '']],
  ['addr-placeholder', () => ['Billing address: ', S('ADDRESS', `${int(10, 9999)} ${EN_STREET()}\n${pick(EN_CITY)}\n, nan\n ${digits(5)}`), '']],
  ['addr-corner', () => ['Meet me at ', S('ADDRESS', `the corner of ${int(1, 300)} ${EN_STREET()} and ${pick(['Juniper', 'Bramble', 'Foxglove'])} ${pick(['Avenue', 'Lane', 'Parkway'])}`), ' at noon.']],
  ['addr-military-lower', () => ['ship to ', S('ADDRESS', `unit ${int(1000, 9999)} box ${int(1000, 9999)}\napo ae ${digits(5)}`), ' asap']],
  ['addr-block-lines', () => ['Regards,\n> ', S('PERSON', `${pick(GIVEN2)} ${pick(SURNAME2)}`), '\n> ', S('ADDRESS', `${int(10, 999)} ${EN_STREET()}`), '\n> ', S('ADDRESS', `Suite ${int(100, 999)}`), '\n> ', pick(EN_CITY), '\n> ', S('ADDRESS', `${pick(COUNTRY)} ${digits(5)}`), '']],
  ['person-lower-title', () => ['Please forward the contract to ms. ', S('PERSON', pick(GIVEN2)), ' in accounting']],
  ['person-vocative', () => [S('PERSON', pick(GIVEN2)), ', can you check the deploy logs?']],
  ['person-list', () => ['They invited ', S('PERSON', pick(['Brenwick', 'Tasmer', 'Oldacre'])), ', ', S('PERSON', pick(GIVEN2)), ' and ', S('PERSON', pick(GIVEN2)), '.']],
  ['person-verb-surname', () => [S('PERSON', pick(SURNAME2)), ' began the review after lunch.']],
  ['person-name-is-lower', () => ['hi, my name is ', S('PERSON', pick(GIVEN2).toLowerCase()), ' and I need help']],
  ['person-family', () => ['I want to add my daughter ', S('PERSON', pick(GIVEN2)), ' to the plan']],
  ['person-shouted', () => [S('PERSON', pick(GIVEN2)), ' shouted at ', S('PERSON', pick(GIVEN2)), ': "Wait for me!"']],
];

const RULE_NEGATIVE: Array<[string, Gen]> = [
  ['date-not-street', () => ['Released on ', N(`${int(1, 28)} ${pick(['March', 'May', 'June', 'October'])} ${int(2019, 2025)}`), ' with fixes']],
  ['street-in-prose', () => [N(`We walked down ${pick(['Main Street', 'Harbor Road', 'Cedar Lane'])} after the meeting and talked about ${pick(['Q3 plans', 'the roadmap'])}.`)]],
  ['sentence-start-verb', () => [N(`${pick(['Construction', 'Testing', 'Migration', 'Recording'])} began in ${pick(['March', 'spring', 'week 3'])} and finished on time.`)]],
  ['interjection', () => [N(`${pick(['Cool', 'Great', 'Okay', 'However'])}, can we ship version ${int(2, 9)} tomorrow?`)]],
  ['quoted-title', () => ['Their single "', N(`${pick(['Silver', 'Paper', 'Neon'])} ${pick(['Ferry', 'Harbor', 'Garden'])} ${pick(['Lights', 'Nights', 'Blues'])}`), '" topped the chart.']],
  ['hyphen-prefix', () => ['The ex-', N(pick(['Member', 'Partner', 'Leader'])), ' interview ran long.']],
  ['numbered-items', () => [N(`Chapter ${int(2, 9)} Section ${int(2, 9)} covers ${pick(['caching', 'retries'])}; see Table ${int(2, 9)} and Figure ${int(2, 9)}.`)]],
  ['heading-run', () => [N(`Quarterly Planning Review Meeting Notes Draft Version ${int(2, 9)}`)]],
  ['numbered-things', () => [N(`Meet me near ${pick(['Gate', 'Exit', 'Platform'])} ${int(2, 40)} ${pick(['Terminal', 'Track', 'Level'])} ${int(1, 9)} after we moved to Build ${int(10, 99)} Release ${int(1, 9)}.`)]],
];

for (const [name, gen] of RULE_POSITIVE) for (let k = 0; k < 6; k++) lines.push(build(`repo:${name}-${k}`, gen(), ['en', 'repo', 'rule']));
for (const [name, gen] of RULE_NEGATIVE) for (let k = 0; k < 6; k++) lines.push(build(`repo:neg-${name}-${k}`, gen(), ['en', 'repo', 'hard-negative', 'rule']));

// Cases for the rules of 2026-12-02 (appended, so every case above keeps its values). Invented values only.
const UK_POSTCODE = () => `${pick(['NW', 'SW', 'LS', 'EH', 'BT'])}${int(1, 9)} ${int(1, 9)}${pick(['AB', 'XE', 'QT', 'HP'])}`;
const LATER_POSITIVE: Array<[string, Gen, string]> = [
  ['addr-uk-postcode', () => ['Please send it to ', S('ADDRESS', `${int(10, 999)} ${EN_STREET()}, ${pick(EN_CITY)} ${UK_POSTCODE()}`), '.'], 'en'],
  ['addr-prefix-particles', () => ['Mail: ', S('ADDRESS', `${int(1, 240)} ${pick(['Rue de la', 'Calle de los', 'Rua dos'])} ${pick(['Fontaine', 'Olivos', 'Pinheiros'])}, ${digits(5)} ${pick(EU_CITY)}`), ''], 'en'],
  ['person-title-mid-group', () => [`${pick(['Call', 'Ask', 'Thank'])} ${pick(['Dr.', 'Prof.'])} `, S('PERSON', `${pick(GIVEN2)} ${pick(SURNAME2)}`), ' about the results.'], 'en'],
  ['zh-person-verb-role', () => [pick(['麻烦给', '请问', '我已经跟']), S('PERSON', cnName()), pick(['经理', '老师', '律师']), '说一下这个安排'], 'zh'],
];
const LATER_NEGATIVE: Array<[string, Gen, string]> = [
  ['zh-word-before-role', () => [N(`${pick(['城市', '销售', '项目', '区域'])}${pick(['经理', '主任', '总监'])}会议改到${int(2, 9)}点`)], 'zh'],
  ['zh-verb-no-role', () => [N(`${pick(['给', '问', '跟'])}${pick(['高手', '王国', '方向'])}${pick(['学习', '请教', '前进'])}`)], 'zh'],
];
for (const [name, gen, lang] of LATER_POSITIVE) for (let k = 0; k < 6; k++) lines.push(build(`repo:${name}-${k}`, gen(), [lang, 'repo', 'rule']));
for (const [name, gen, lang] of LATER_NEGATIVE) for (let k = 0; k < 6; k++) lines.push(build(`repo:neg-${name}-${k}`, gen(), [lang, 'repo', 'hard-negative', 'rule']));
// GitLab and npm tokens (added with their recognizers; generated after the cases above, which stay as they were)
const TOKEN_POSITIVE: Array<[string, Gen, string]> = [
  ['gitlab-token', () => [pick(['GITLAB_TOKEN=', 'export CI_TOKEN="', '用这个令牌：']), S('SECRET', 'glpat-FAKE' + alnum(16)), pick(['', '"', ' 拉代码'])], 'en'],
  ['npm-token', () => ['//registry.npmjs.org/:_authToken=', S('SECRET', 'npm_FAKE' + alnum(32)), ''], 'en'],
];
const TOKEN_NEGATIVE: Array<[string, Gen, string]> = [
  ['npm-config-vars', () => [N(`${pick(['npm_config_cache', 'npm_package_version', 'npm_lifecycle_event'])}=${pick(['/tmp/npm', '1.2.3', 'build'])}`)], 'en'],
];
for (const [name, gen, lang] of TOKEN_POSITIVE) for (let k = 0; k < 6; k++) lines.push(build(`repo:${name}-${k}`, gen(), [lang, 'repo', 'rule']));
for (const [name, gen, lang] of TOKEN_NEGATIVE) for (let k = 0; k < 6; k++) lines.push(build(`repo:neg-${name}-${k}`, gen(), [lang, 'repo', 'hard-negative', 'rule']));
// Chinese names before a possessive of their own data, after a verb of sending, before a greeting (added with those
// rules; generated after the cases above, which stay as they were), and common words in the same places
const ZH_NAME_POSITIVE: Array<[string, Gen, string]> = [
  ['zh-person-possessive', () => [S('PERSON', cnName()), pick(['的手机号是 ', '的电话是 ', '的手机：']), S('CN_MOBILE', mobile()), '，有事可以直接联系。'], 'zh'],
  ['zh-person-send-to', () => [pick(['请把签好的合同', '报销单已经', '样品下周']), pick(['发给', '转给', '寄给']), S('PERSON', cnName()), '。'], 'zh'],
  ['zh-person-greeting', () => [S('PERSON', cnName()), pick(['，你好！', '，您好！']), '附件是本周的报表，请查收。'], 'zh'],
];
const ZH_NAME_NEGATIVE: Array<[string, Gen, string]> = [
  ['zh-word-possessive', () => [N(`${pick(['单位', '周末', '高铁站', '商户', '车主'])}的${pick(['电话', '地址', '联系方式'])}稍后${pick(['公布', '更新', '补充'])}`)], 'zh'],
  ['zh-word-send-to', () => [N(`文件已经${pick(['发给', '转给'])}${pick(['高层', '全部门', '商家', '车主'])}。`)], 'zh'],
];
for (const [name, gen, lang] of ZH_NAME_POSITIVE) for (let k = 0; k < 6; k++) lines.push(build(`repo:${name}-${k}`, gen(), [lang, 'repo', 'rule']));
for (const [name, gen, lang] of ZH_NAME_NEGATIVE) for (let k = 0; k < 6; k++) lines.push(build(`repo:neg-${name}-${k}`, gen(), [lang, 'repo', 'hard-negative', 'rule']));
process.stdout.write(lines.join('\n') + '\n');
