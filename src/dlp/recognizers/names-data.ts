/** Compact word lists for the PERSON heuristics (common names only; no real individuals). */

/** Common Chinese single-character surnames (top ~190 by frequency). */
export const CN_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';

export const CN_COMPOUND_SURNAMES = ['欧阳', '上官', '司马', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐', '端木', '南宫', '西门', '独孤', '轩辕', '百里', '呼延', '申屠', '太史', '闻人', '万俟', '澹台', '公冶', '宗政', '濮阳', '淳于', '单于', '拓跋'];

/** Characters that end a Chinese given name (particles, verbs and markers that follow names). */
export const CN_NAME_STOP = new Set(
  '的了在是和与及或等将已于把被给对向从到说来去让叫为也都就还又很会要能可这那个们收发打电话号码邮箱地址确认代表负责出席参加交表示意请您你我他她它帮问答写看听想做用需有没不吗呢吧啊哦嗯即并且但而因所以如果虽马一二六七八九十年月日时分秒元块位名里外内住称讲谈签核联系办审批填报登记达往今昨'.split(''),
);

/** Words before a Chinese name (label or role), strongest first. */
export const CN_PREFIX_STRONG = ['姓名', '登记', '签名', '署名', '经手人', '填表人', '审批人', '抄送', '联系人', '收件人', '收货人', '负责人', '对接人', '经办人', '申请人', '持卡人', '户名', '开户名', '签收人', '委托人', '代理人', '法定代表人', '法人', '患者', '乘客', '旅客', '报案人', '紧急联系人', '我叫', '名叫', '名字是', '叫做'];
export const CN_PREFIX_WEAK = ['资料', '客户', '用户', '员工', '同事', '学生', '老板', '司机', '房东', '销售', '客服', '经理', '主管', '会员', '业主', '我是', '请', '由', '交给', '发给', '转给', '寄给', '转告', '通知', '联系', '找', '致', '尊敬的', '亲爱的', '感谢', '和', '与', '及', '同'];
/**
 * Common words that start with a surname character and stand before a role word in ordinary text (项目经理,
 * 区域总监, 高级工程师, 安全主管) or before a possessive or a greeting (单位的电话, 周末，你好): with only
 * that as evidence, or a weak context word before them (发给高层), they are not names.
 */
export const CN_NOT_NAME = ['项目', '区域', '高级', '安全', '程序', '金融', '常务', '华东', '华南', '华北', '华中', '党委', '宣传', '市场', '方案', '文件', '管理', '江湖', '高手', '王国', '方向', '明天', '时间', '单位', '周末', '周报', '高层', '高铁', '高速', '金额', '石油', '马上', '黄金', '万一', '白天', '毛利', '钱包', '成本', '任务', '全部', '全国', '应用', '商品', '商户', '商家', '关于', '房子', '路由', '游戏', '连接', '简历', '车辆', '车主', '华为', '和平', '时候', '明年', '明细', '江苏', '江西', '湖南', '湖北', '宁波', '安徽', '陆续', '邮政', '申请', '计划', '程度', '方式', '方法', '文档', '文章', '谢谢'];
/**
 * Words after a Chinese name that start with 的 or a comma: a possessive naming the person's own data (张伟的电话,
 * 王小明的手机号) or a greeting (李娜，你好). Weaker than a role: a common word before them is no name (CN_NOT_NAME).
 */
export const CN_SUFFIX_DATA = ['的手机', '的电话', '的邮箱', '的地址', '的住址', '的身份证', '的银行卡', '的卡号', '的账号', '的微信', '的护照', '的车牌', '的联系方式', '，你好', '，您好', ',你好', ',您好'];
/** Words after a Chinese name (honorific or role, then the possessives and greetings above). */
export const CN_SUFFIX = ['先生', '女士', '小姐', '老师', '经理', '总监', '主任', '同学', '医生', '律师', '教授', '工程师', '阿姨', '师傅', '董事长', '总经理', '收', '（手机', '(手机', '(电话', '<', ...CN_SUFFIX_DATA];

/** English titles and context. */
/** Brand words: the capitalized words after them name a product, not a person (Google Cloud Run). */
export const EN_BRANDS = new Set('google microsoft apple amazon meta facebook openai anthropic github aws azure oracle ibm intel nvidia samsung huawei alibaba tencent baidu'.split(' '));

export const EN_TITLES = ['mr.', 'mrs.', 'ms.', 'miss', 'dr.', 'prof.', 'mr', 'mrs', 'ms', 'dr', 'sir', 'madam', 'mx.'];
export const EN_BEFORE = ['name is', 'name:', 'named', 'called', 'call me', 'calls me', "i'm", 'i am', 'dear', 'hi', 'hello', 'thanks', 'thank you', 'says', 'said', 'by', 'with', 'from', 'to', 'user:', 'contact', 'heard', 'tribute to', 'add', 'ask', 'tell', 'meet', 'met', 'founders:', 'producer', 'songwriter', 'player', 'and', 'signed', 'regards,', 'cc:', 'attn:', 'attention:', 'customer', 'patient', 'employee', 'manager',
  'shouted at', 'yelled at', 'named him', 'named her', 'call him', 'call her', 'starring', 'name?', 'surname:', 'surname is', 'my kid', 'my son', 'my daughter', 'my wife', 'my husband', 'my friend', 'my brother', 'my sister', 'my mother', 'my father', 'my boss', 'my colleague'];
export const EN_AFTER = ["'s", '’s', ' said', ' says', ' shouted', ' lives', ' is from', ' was born', ' will be', ' has been', ' had given', ' just', ' wrote', ' asked', ' told', ' called', ' speak',
  ' shouted', ' yelled', ' began', ' started', ' replied', ' whispered', ' laughed', ' smiled', ' nodded', ' married', ' joined', ' explained', ' answered'];

/** Common given names (international, unambiguous as English words). Lower-case. */
export const EN_GIVEN = new Set(
  `james john robert michael david richard joseph thomas charles christopher daniel matthew anthony donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander patrick raymond jack dennis jerry tyler aaron jose adam nathan henry zachary douglas peter kyle noah ethan jeremy walter christian keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan alan juan albert willie elijah wayne randy vincent liam roy ralph eugene russell bobby mason philip louis harry
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty sandra margaret ashley kimberly emily donna michelle carol amanda melissa deborah stephanie dorothy rebecca sharon laura cynthia amy kathleen angela shirley brenda emma anna pamela nicole samantha katherine christine helen debra rachel carolyn janet maria catherine heather diane olivia julie joyce victoria ruth virginia lauren kelly christina joan evelyn judith andrea hannah megan cheryl jacqueline martha madison teresa gloria sara janice ann kathryn abigail sophia frances jean alice judy isabella julia beverly denise marilyn amber danielle brittany diana natalie sophie charlotte mia ava chloe zoe lucy ella lily isabel clara
wei li ming hui jun jing yan hong xiao lei yang min tao chen hiroshi takashi yuki kenji akira haruto sakura yuto hana mohammed muhammad ahmed ali omar fatima aisha hassan ibrahim yusuf mustafa leila
hans klaus jurgen stefan wolfgang andreas thomas michael peter uwe ursula monika petra sabine heike katrin anke birgit
pierre jean jacques michel francois philippe alain nicolas julien camille chloe manon lea ines
giuseppe giovanni antonio mario luca marco francesco alessandro matteo lorenzo giulia francesca chiara sofia
jose carlos luis miguel javier pablo diego alejandro fernando ricardo sergio carmen lucia elena isabel rosa pilar marta
ivan dmitri sergei vladimir nikolai alexei mikhail olga natasha irina svetlana tatiana anastasia yuri boris igor
lars erik anders johan nils sven per karin ingrid astrid sigrid freya mette lena kristian henrik magnus
piotr krzysztof tomasz marek pawel agnieszka katarzyna magdalena jan petr jakub tereza eva
ahmet mehmet mustafa ayse fatma emre can deniz elif zeynep
raj rahul amit priya anil sunil deepak pooja neha arjun vijay sanjay
isaac kate erin grace rose ella noah lucas leo oscar oliver william`.split(/\s+/),
);

/** Capitalized words that are not names (sentence starters, places, organisations, days ...). Lower-case. */
export const EN_NOT_NAME = new Set(
  `the a an this that these those there here i it its we you he she they my our your his her their me us them
in on at for to from with by of and or but if when what why how where who whom which while as so than then
please thanks thank hello hi dear yes no not ok okay maybe also just all any some each every many much more most
is are was were be been am do does did have has had can could will would shall should may might must
monday tuesday wednesday thursday friday saturday sunday january february march april june july august september october november december
english american british chinese french german spanish italian japanese korean russian indian canadian australian european african asian
street road avenue lane drive court place boulevard way apt suite unit floor building box po
inc ltd llc corp corporation company co group bank university college school hospital department ministry office center centre
card credit debit account number phone email mail address name user customer client manager service support team passport license licence id no nr tel fax mobile office desk order invoice tracking contact subject summary location website status notes note attn patient reach call ask tell thank invite ping ticket total tax price
new york london paris tokyo beijing shanghai china japan america united states kingdom canada australia germany france india russia
north south east west central
google microsoft apple amazon meta facebook openai anthropic github aws azure linux windows android iphone
api json http https url sql id ai llm gpt claude uuid cpu gpu
mount saint st lake river park hill city county state province district
christmas easter halloween
god lord jesus
love life world home work time day night today tomorrow yesterday
please note important warning error question answer hey wow oh
chapter section figure table version release
orchestra club act republic royal princess prince king queen band association society foundation institute council committee party church museum hotel airport station
river mountains mountain island islands ocean sea empire union federation agency authority senate congress parliament army navy force police festival awards cup league
fc records studio studios press news times post journal magazine network systems technologies solutions labs partners holdings capital ventures airlines motors
software research reports finance insight insights weekly daily monthly tales media digital analytics consulting services insurance energy power traffic pleasures hathaway
southern northern eastern western upper lower greater
e-mail website web bot url fax company organization organisation attendees participants assignee reviewer owner members agenda location where when who what authorization subject date re host content accept cookie bearer token key status result output input example summary description title note notes
i'm i'd i've i'll producer director writer songwriter singer player president ceo chairman professor doctor officer minister senator governor mayor captain coach editor author artist actor actress personal info port
iceland greenland poland netherlands switzerland finland ireland scotland england thailand new zealand czech slovakia austria belgium denmark norway sweden spain portugal italy greece
turkey egypt brazil mexico argentina chile peru colombia cuba nigeria kenya ethiopia vietnam korea singapore malaysia indonesia philippines pakistan iran iraq israel ukraine hungary romania
signed sent reply replied answered assistant system speaker cool great nice awesome perfect fine alright wait look listen oh ah um uh hmm indeed exactly absolutely definitely certainly however therefore besides meanwhile otherwise still well now sorry honestly actually anyway finally first second third instead alternatively unfortunately fortunately sure right again next last later soon overall basically generally usually currently recently
bulgaria serbia croatia slovenia cyprus estonia latvia lithuania luxembourg monaco europe asia africa oceania antarctica`.split(/\s+/),
);
