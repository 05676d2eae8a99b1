import type { Random } from './prng';

/** Surnames with their share of the population in per mille (national statistics, rounded). */
const SURNAMES: [string, number][] = (
  '王71 李70 张67 刘51 陈46 杨32 黄25 赵22 吴20 周19 徐15 孙14 马13 朱13 胡12 郭12 何11 林10 高10 罗10 郑9 梁8 谢7 宋7 唐7 ' +
  '许6 韩6 冯6 邓6 曹6 彭6 曾6 肖6 田5 董5 袁5 潘5 于5 蒋5 蔡5 余5 杜5 叶4 程4 苏4 魏4 吕4 丁4 任4 沈4 姚4 卢4 姜4 崔4 ' +
  '钟4 谭3 陆3 汪3 范3 金3 石3 廖3 贾3 夏3 韦3 付3 方3 白3 邹3 孟3 熊3 秦3 邱3 江2 尹2 薛2 闫2 段2 雷2 侯2 龙2 史2 陶2 ' +
  '黎2 贺2 顾2 毛2 郝2 龚2 邵2 万2 钱2 严2 覃2 武2 戴2 莫1 孔1 向1 汤1 欧阳0.2 司马0.05 上官0.05 诸葛0.05'
)
  .split(' ')
  .map((entry) => {
    const [, name, share] = /^(\D+)([\d.]+)$/.exec(entry)!;
    return [name, Number(share)];
  });

const MALE = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋阳博文志建国峰海亮成晨轩睿航泽然铭豪皓昊天一家嘉诚毅';
const FEMALE = '芳娜敏静丽艳娟霞燕玲婷雪慧莹倩琳晶颖欣怡佳琪雨萱梓涵诗晓婉丹萍红梅兰秀英云洁璐蕾悦彤瑶妍思';

/** Uyghur and Kazakh names are a given name and the father's name joined by a middle dot; Tibetan names have no surname. */
const TURKIC = {
  男: '艾力 买买提 阿不都 吐尔逊 艾尔肯 努尔兰 热合曼 亚森 库尔班 阿迪力'.split(' '),
  女: '阿依古丽 古丽娜尔 热依拉 米娜瓦尔 帕提古丽 努尔古丽 迪丽拜尔 阿依努尔'.split(' '),
  father: '买买提 吐尔逊 艾山 阿不力孜 热合曼 司马义 玉素甫 库尔班'.split(' '),
};
const TIBETAN = {
  男: '扎西 次仁 多吉 平措 旺堆 格桑 尼玛 索朗 丹增 洛桑'.split(' '),
  女: '卓玛 央金 拉姆 措姆 德吉 曲珍 白玛 次仁'.split(' '),
};

export function personName(random: Random, sex: '男' | '女', ethnicity = '汉族'): string {
  if (ethnicity === '维吾尔族' || ethnicity === '哈萨克族') return `${random.pick(TURKIC[sex])}·${random.pick(TURKIC.father)}`;
  if (ethnicity === '藏族') return random.pick(TIBETAN[sex]) + random.pick([...TIBETAN.男, ...TIBETAN.女]);
  const pool = sex === '男' ? MALE : FEMALE;
  const given = random.chance(0.2) ? random.pick([...pool]) : random.pick([...pool]) + random.pick([...pool]);
  return random.weighted(SURNAMES) + given;
}

/** Provinces where another ethnic group than 汉族 is common, with its share; elsewhere a national mix. */
const REGIONAL_ETHNICITIES: Record<string, [string, number][]> = {
  '15': [
    ['蒙古族', 0.17],
    ['满族', 0.02],
  ],
  '45': [
    ['壮族', 0.31],
    ['瑶族', 0.03],
  ],
  '52': [
    ['苗族', 0.1],
    ['布依族', 0.07],
  ],
  '53': [
    ['彝族', 0.11],
    ['白族', 0.04],
  ],
  '54': [['藏族', 0.86]],
  '63': [
    ['藏族', 0.25],
    ['回族', 0.15],
  ],
  '64': [['回族', 0.36]],
  '65': [
    ['维吾尔族', 0.45],
    ['哈萨克族', 0.07],
    ['回族', 0.04],
  ],
  '21': [['满族', 0.12]],
  '22': [
    ['朝鲜族', 0.04],
    ['满族', 0.08],
  ],
  '46': [['黎族', 0.15]],
  '43': [['土家族', 0.04]],
};
const NATIONAL_MINORITIES: [string, number][] = [
  ['回族', 0.008],
  ['满族', 0.007],
  ['土家族', 0.006],
  ['苗族', 0.006],
  ['壮族', 0.005],
];

export function ethnicity(random: Random, provinceCode: string): string {
  let r = random.next();
  for (const [name, share] of REGIONAL_ETHNICITIES[provinceCode] ?? NATIONAL_MINORITIES) {
    if ((r -= share) < 0) return name;
  }
  return '汉族';
}

const STREETS =
  '人民路 解放路 中山路 建设路 和平路 文化路 新华路 长江路 胜利路 光明路 花园路 幸福路 青年路 迎宾路 建国路 朝阳路 东风路 红旗路 育才路 滨江路'.split(
    ' ',
  );
const COMMUNITIES = '阳光花园 锦绣家园 翠苑小区 金色家园 龙湖花园 幸福里 和谐家园 书香名邸 海棠苑 紫荆园 明珠花园 滨江一号'.split(' ');

/** A street address below the district: 建设路28号 or 人民路15号锦绣家园3栋2单元501室. */
export function streetAddress(random: Random): string {
  const street = `${random.pick(STREETS)}${random.int(1, 399)}号`;
  if (random.chance(0.35)) return street;
  if (random.chance(0.5)) return `${street}院${random.int(1, 20)}号楼${random.int(1, 6)}单元${random.int(1, 28)}0${random.int(1, 4)}室`;
  return `${street}${random.pick(COMMUNITIES)}${random.int(1, 30)}栋${random.int(1, 4)}单元${random.int(1, 30)}0${random.int(1, 4)}室`;
}

/** Business premises: a street number, sometimes a floor or a unit. */
export function premisesAddress(random: Random): string {
  const street = `${random.pick(STREETS)}${random.int(1, 399)}号`;
  return random.chance(0.5) ? street : `${street}${random.int(1, 5)}层${random.int(101, 130)}室`;
}

const MOBILE_PREFIXES =
  '130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 177 180 181 182 183 185 186 187 188 189 199'.split(' ');

export function mobilePhone(random: Random): string {
  return random.pick(MOBILE_PREFIXES) + random.chars(8, '0123456789');
}

export function landline(random: Random, areaCode: string): string {
  return `${areaCode}-${random.int(5, 8)}${random.chars(7, '0123456789')}`;
}

/** Characters of shop names (字号), two of them make one: 恒达, 瑞丰, 明德. */
const BRAND_CHARACTERS = '华信恒达鑫源宏图瑞丰金桥博远天成航正泰中汇通嘉禾和盛安顺福长兴新宇永明德众合润佳锦程立东方广创远腾隆昌盈海';

export function brandName(random: Random): string {
  const chars = [...BRAND_CHARACTERS];
  let brand = random.pick(chars);
  let second = random.pick(chars);
  while (second === brand) second = random.pick(chars);
  brand += second;
  return brand;
}
