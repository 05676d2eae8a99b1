import { PROVINCES } from '../../identifiers/region-code';

/** A sample of real GB/T 2260 divisions: the places of the seeded persons, enterprises and issuing offices. */
export interface City {
  /** Six digits ending in 00 (for a municipality, its 01 "市辖区" part). */
  code: string;
  /** Empty for the four municipalities, whose districts sit directly under the province-level name. */
  name: string;
  /** As the city appears at the head of an enterprise name. */
  short: string;
  /** Telephone area code. */
  areaCode: string;
  province: string;
}

export interface District {
  code: string;
  name: string;
  city: City;
}

const CITIES: [code: string, name: string, short: string, areaCode: string, districts: string][] = [
  [
    '110100',
    '',
    '北京',
    '010',
    '110101东城区 110102西城区 110105朝阳区 110106丰台区 110107石景山区 110108海淀区 110112通州区 110114昌平区',
  ],
  ['120100', '', '天津', '022', '120101和平区 120102河东区 120103河西区 120104南开区 120105河北区'],
  ['130100', '石家庄市', '石家庄', '0311', '130102长安区 130104桥西区 130105新华区 130108裕华区'],
  ['130600', '保定市', '保定', '0312', '130602竞秀区 130606莲池区'],
  ['140100', '太原市', '太原', '0351', '140105小店区 140106迎泽区 140107杏花岭区'],
  ['150100', '呼和浩特市', '呼和浩特', '0471', '150102新城区 150103回民区 150105赛罕区'],
  ['210100', '沈阳市', '沈阳', '024', '210102和平区 210103沈河区 210104大东区 210105皇姑区'],
  ['210200', '大连市', '大连', '0411', '210202中山区 210203西岗区 210204沙河口区'],
  ['220100', '长春市', '长春', '0431', '220102南关区 220103宽城区 220104朝阳区'],
  ['230100', '哈尔滨市', '哈尔滨', '0451', '230102道里区 230103南岗区 230104道外区'],
  [
    '310100',
    '',
    '上海',
    '021',
    '310101黄浦区 310104徐汇区 310105长宁区 310106静安区 310107普陀区 310109虹口区 310110杨浦区 310112闵行区 310115浦东新区',
  ],
  ['320100', '南京市', '南京', '025', '320102玄武区 320104秦淮区 320105建邺区 320106鼓楼区'],
  ['320500', '苏州市', '苏州', '0512', '320505虎丘区 320506吴中区 320508姑苏区'],
  ['330100', '杭州市', '杭州', '0571', '330102上城区 330105拱墅区 330106西湖区 330108滨江区'],
  ['330200', '宁波市', '宁波', '0574', '330203海曙区 330212鄞州区'],
  ['340100', '合肥市', '合肥', '0551', '340102瑶海区 340103庐阳区 340104蜀山区 340111包河区'],
  ['350100', '福州市', '福州', '0591', '350102鼓楼区 350103台江区 350104仓山区 350105马尾区 350111晋安区'],
  ['350200', '厦门市', '厦门', '0592', '350203思明区 350206湖里区'],
  ['350500', '泉州市', '泉州', '0595', '350502鲤城区 350503丰泽区'],
  ['350800', '龙岩市', '龙岩', '0597', '350802新罗区'],
  ['360100', '南昌市', '南昌', '0791', '360102东湖区 360103西湖区 360111青山湖区'],
  ['360400', '九江市', '九江', '0792', '360402濂溪区 360403浔阳区 360426德安县 360429湖口县 360430彭泽县'],
  ['370100', '济南市', '济南', '0531', '370102历下区 370103市中区 370104槐荫区'],
  ['370200', '青岛市', '青岛', '0532', '370202市南区 370203市北区 370211黄岛区 370212崂山区 370213李沧区'],
  ['410100', '郑州市', '郑州', '0371', '410102中原区 410103二七区 410105金水区'],
  ['420100', '武汉市', '武汉', '027', '420102江岸区 420103江汉区 420104硚口区 420106武昌区 420107青山区 420111洪山区'],
  ['430100', '长沙市', '长沙', '0731', '430102芙蓉区 430103天心区 430104岳麓区 430105开福区'],
  ['440100', '广州市', '广州', '020', '440103荔湾区 440104越秀区 440105海珠区 440106天河区 440111白云区'],
  ['440300', '深圳市', '深圳', '0755', '440303罗湖区 440304福田区 440305南山区 440306宝安区 440307龙岗区'],
  ['450100', '南宁市', '南宁', '0771', '450102兴宁区 450103青秀区'],
  ['460100', '海口市', '海口', '0898', '460105秀英区 460106龙华区 460107琼山区 460108美兰区'],
  ['500100', '', '重庆', '023', '500101万州区 500103渝中区 500105江北区 500106沙坪坝区 500107九龙坡区 500108南岸区 500112渝北区'],
  ['510100', '成都市', '成都', '028', '510104锦江区 510105青羊区 510106金牛区 510107武侯区 510108成华区'],
  ['510600', '德阳市', '德阳', '0838', '510682什邡市'],
  ['520100', '贵阳市', '贵阳', '0851', '520102南明区 520103云岩区'],
  ['530100', '昆明市', '昆明', '0871', '530102五华区 530103盘龙区'],
  ['540100', '拉萨市', '拉萨', '0891', '540102城关区'],
  ['610100', '西安市', '西安', '029', '610102新城区 610103碑林区 610104莲湖区 610113雁塔区'],
  ['620100', '兰州市', '兰州', '0931', '620102城关区 620103七里河区'],
  ['630100', '西宁市', '西宁', '0971', '630102城东区 630103城中区'],
  ['640100', '银川市', '银川', '0951', '640104兴庆区 640105西夏区'],
  ['650100', '乌鲁木齐市', '乌鲁木齐', '0991', '650102天山区 650103沙依巴克区'],
];

export const DISTRICTS: readonly District[] = CITIES.flatMap(([code, name, short, areaCode, list]) => {
  const city: City = { code, name, short, areaCode, province: PROVINCES[code.slice(0, 2)].name };
  return list.split(' ').map((entry) => ({ code: entry.slice(0, 6), name: entry.slice(6), city }));
});

const BY_CODE = new Map(DISTRICTS.map((d) => [d.code, d]));
const CITY_BY_CODE = new Map(DISTRICTS.map((d) => [d.city.code, d.city]));

export function districtByCode(code: string): District | undefined {
  return BY_CODE.get(code);
}

/** 福建省福州市鼓楼区, 北京市朝阳区: how an address begins. */
export function placeName(district: District): string {
  return district.city.province + district.city.name + district.name;
}

/** How a government office at that division names itself: 福州市鼓楼区, 北京市朝阳区, 德安县, 福州市, 福建省. */
export function divisionName(code: string): string {
  const province = PROVINCES[code.slice(0, 2)].name;
  if (code.endsWith('0000') || (isMunicipality(code) && code.endsWith('00'))) return province;
  if (code.endsWith('00')) {
    const city = CITY_BY_CODE.get(code);
    if (!city) throw new Error(`no city ${code} in the sample`);
    return city.name;
  }
  const district = BY_CODE.get(code);
  if (!district) throw new Error(`no division ${code} in the sample`);
  if (!district.name.endsWith('区')) return district.name;
  return (district.city.name || province) + district.name;
}

export const isMunicipality = (code: string): boolean => ['11', '12', '31', '50'].includes(code.slice(0, 2));
