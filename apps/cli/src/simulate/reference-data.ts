// Reference data for plausible test students. Area codes follow the county-level codes of
// GB/T 2260, and status codes follow JY/T 1001 (学籍状态). Card prefixes imitate debit-card
// BINs of the named banks but were not checked against a BIN table. The product checks
// none of this data, because it keeps codes and names as sent.

/** Common surnames with rough relative frequencies. */
export const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 72], ['李', 70], ['张', 68], ['刘', 54], ['陈', 46], ['杨', 32], ['黄', 25], ['赵', 24],
  ['吴', 21], ['周', 21], ['徐', 15], ['孙', 15], ['马', 13], ['朱', 13], ['胡', 12], ['郭', 12],
  ['何', 11], ['林', 11], ['高', 11], ['罗', 10], ['郑', 10], ['梁', 9], ['谢', 8], ['宋', 7],
  ['唐', 7], ['许', 6], ['韩', 6], ['冯', 6], ['邓', 6], ['曹', 6], ['彭', 6], ['曾', 6],
  ['肖', 5], ['田', 5], ['董', 5], ['袁', 5], ['潘', 5], ['蒋', 5], ['蔡', 5], ['余', 4],
  ['杜', 4], ['叶', 4], ['程', 4], ['苏', 4], ['魏', 4], ['吕', 4], ['丁', 4], ['任', 4],
  ['沈', 4], ['姚', 3], ['卢', 3], ['姜', 3], ['崔', 3], ['钟', 3], ['谭', 3], ['陆', 3],
  ['汪', 3], ['范', 3], ['金', 3], ['石', 3], ['廖', 3], ['贾', 3], ['夏', 3], ['韦', 3],
  ['方', 3], ['白', 2], ['邹', 2], ['孟', 2], ['熊', 2], ['秦', 2], ['邱', 2], ['江', 2],
  ['尹', 2], ['薛', 2], ['段', 2], ['雷', 2], ['侯', 2], ['龙', 2], ['史', 2], ['贺', 2],
  ['欧阳', 1], ['司马', 0.3], ['上官', 0.3], ['诸葛', 0.2],
];

export const MALE_GIVEN_CHARS = [...'伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆子轩博文睿哲晨阳'];
export const FEMALE_GIVEN_CHARS = [...'芳娜敏静丽艳娟霞婷雪慧颖琳欣怡雨萱佳琪梦瑶蕾晓悦可馨思涵紫嘉诗妍'];

export interface Area {
  code: string;
  name: string;
}

export const AREAS: readonly Area[] = [
  { code: '110101', name: '北京市东城区' }, { code: '110108', name: '北京市海淀区' },
  { code: '120101', name: '天津市和平区' }, { code: '130102', name: '石家庄市长安区' },
  { code: '140105', name: '太原市小店区' }, { code: '210102', name: '沈阳市和平区' },
  { code: '220102', name: '长春市南关区' }, { code: '230103', name: '哈尔滨市南岗区' },
  { code: '310104', name: '上海市徐汇区' }, { code: '310115', name: '上海市浦东新区' },
  { code: '320102', name: '南京市玄武区' }, { code: '320506', name: '苏州市吴中区' },
  { code: '330106', name: '杭州市西湖区' }, { code: '340104', name: '合肥市蜀山区' },
  { code: '350203', name: '厦门市思明区' }, { code: '360102', name: '南昌市东湖区' },
  { code: '370102', name: '济南市历下区' }, { code: '410105', name: '郑州市金水区' },
  { code: '420111', name: '武汉市洪山区' }, { code: '430104', name: '长沙市岳麓区' },
  { code: '440106', name: '广州市天河区' }, { code: '440304', name: '深圳市福田区' },
  { code: '450103', name: '南宁市青秀区' }, { code: '500103', name: '重庆市渝中区' },
  { code: '510107', name: '成都市武侯区' }, { code: '520102', name: '贵阳市南明区' },
  { code: '530102', name: '昆明市五华区' }, { code: '610113', name: '西安市雁塔区' },
  { code: '620102', name: '兰州市城关区' }, { code: '460106', name: '海口市龙华区' },
];

export interface Major {
  /** Two-digit college code followed by a two-digit major code. */
  code: string;
  name: string;
}

export const MAJORS: readonly Major[] = [
  { code: '0101', name: '机械设计制造及其自动化' }, { code: '0102', name: '车辆工程' },
  { code: '0201', name: '电气工程及其自动化' }, { code: '0202', name: '自动化' },
  { code: '0301', name: '计算机科学与技术' }, { code: '0302', name: '软件工程' },
  { code: '0303', name: '数据科学与大数据技术' }, { code: '0401', name: '会计学' },
  { code: '0402', name: '金融学' }, { code: '0403', name: '国际经济与贸易' },
  { code: '0501', name: '汉语言文学' }, { code: '0502', name: '英语' },
  { code: '0601', name: '临床医学' }, { code: '0602', name: '护理学' },
  { code: '0701', name: '土木工程' }, { code: '0801', name: '法学' },
];

export interface Bank {
  bin: string;
  /** Card number length including the check digit. */
  length: number;
  name: string;
}

export const BANKS: ReadonlyArray<readonly [Bank, number]> = [
  [{ bin: '621226', length: 19, name: '中国工商银行' }, 30],
  [{ bin: '622848', length: 19, name: '中国农业银行' }, 20],
  [{ bin: '621700', length: 19, name: '中国建设银行' }, 20],
  [{ bin: '621661', length: 19, name: '中国银行' }, 12],
  [{ bin: '622262', length: 19, name: '交通银行' }, 6],
  [{ bin: '622588', length: 16, name: '招商银行' }, 7],
  [{ bin: '621799', length: 19, name: '中国邮政储蓄银行' }, 5],
];

export interface CodeName {
  code: string;
  name: string;
}

/** Student status codes (学籍状态) used by the simulator, after JY/T 1001. */
export const STATUS = {
  enrolled: { code: '01', name: '在读' },
  suspended: { code: '02', name: '休学' },
  withdrawn: { code: '03', name: '退学' },
  resumed: { code: '05', name: '复学' },
  graduated: { code: '07', name: '毕业' },
} as const satisfies Record<string, CodeName>;
