import type { HallZone, SeatPosition } from '../halls/hall-layout';

/** Demo content: invented cinemas and films that look like a real programme. */

export interface DemoCinema {
  name: string;
  city: string;
  address: string;
  tel: string;
  description: string;
  contactName: string;
}

export const DEMO_CINEMAS: DemoCinema[] = [
  {
    name: '上海星光国际影城',
    city: 'Shanghai',
    address: '徐汇区漕溪北路 1118 号 星光广场 5 楼',
    tel: '021-6468 8801',
    description: '徐家汇商圈的老牌影城，杜比全景声与激光放映。',
    contactName: '周经理',
  },
  {
    name: '上海浦江 IMAX 影城',
    city: 'Shanghai',
    address: '浦东新区世纪大道 88 号 浦江中心 B1',
    tel: '021-5882 3300',
    description: '陆家嘴地铁站旁，配备 IMAX 激光巨幕。',
    contactName: '顾小姐',
  },
  {
    name: '北京京华国际影城',
    city: 'Beijing',
    address: '朝阳区建国路 93 号 京华购物中心 4 层',
    tel: '010-8599 6600',
    description: '国贸 CBD 核心地段，情侣座与 VIP 厅。',
    contactName: '王先生',
  },
  {
    name: '北京中关村光影电影院',
    city: 'Beijing',
    address: '海淀区中关村大街 15 号 光影大厦 6 层',
    tel: '010-6253 1199',
    description: '高校区影院，学生证购票享优惠。',
    contactName: '李女士',
  },
];

export interface DemoHall {
  name: string;
  rows: number;
  cols: number;
  disabledSeats: SeatPosition[];
  description: string;
  zones?: HallZone[];
  couples?: SeatPosition[];
}

const seatsOf = (rows: number[], cols: number[]) => rows.flatMap((row) => cols.map((col) => ({ row, col })));

/** What a demo hall's VIP seats cost over the showtime's price, in cents. */
export const DEMO_VIP_SURCHARGE_CENTS = 3000;
/** A student ticket on every other demo showtime: this much off, in cents. */
export const DEMO_STUDENT_DISCOUNT_CENTS = 1000;
/** Printed in the start-up log with the demo accounts. */
export const DEMO_VOUCHER = { code: 'DEMO10', kind: 'amount' as const, valueCents: 1000, maxUses: 1000 };

/** Every demo cinema gets both; the disabled seats are the aisles at the corners and centre-back. */
export const DEMO_HALLS: DemoHall[] = [
  {
    name: '1号厅',
    rows: 8,
    cols: 12,
    disabledSeats: [
      { row: 1, col: 1 },
      { row: 1, col: 12 },
      { row: 8, col: 6 },
      { row: 8, col: 7 },
    ],
    description: '标准厅，杜比 7.1',
  },
  {
    name: '2号激光厅',
    rows: 10,
    cols: 14,
    disabledSeats: [
      { row: 1, col: 1 },
      { row: 1, col: 2 },
      { row: 1, col: 13 },
      { row: 1, col: 14 },
      { row: 10, col: 7 },
      { row: 10, col: 8 },
    ],
    description: '激光巨幕厅，中间排为最佳观影区',
    // The best rows in the middle are VIP; the back row has sofas for two on both sides of the aisle.
    zones: [{ name: 'VIP', seats: seatsOf([5, 6], [4, 5, 6, 7, 8, 9, 10, 11]) }],
    couples: [
      { row: 10, col: 1 },
      { row: 10, col: 3 },
      { row: 10, col: 5 },
      { row: 10, col: 9 },
      { row: 10, col: 11 },
      { row: 10, col: 13 },
    ],
  },
];

export interface DemoMovie {
  title: string;
  director: string;
  actors: string[];
  durationMinutes: number;
  genres: string[];
  description: string;
  /** release day relative to the seeding day */
  releaseInDays: number;
  /** last day on screen relative to the seeding day; null: open-ended */
  offInDays: number | null;
}

export const DEMO_MOVIES: DemoMovie[] = [
  {
    title: '星河彼岸',
    director: '陈思远',
    actors: ['周子墨', '林晓雯', '赵一鸣'],
    durationMinutes: 148,
    genres: ['科幻', '冒险'],
    description: '一支深空勘探队穿越虫洞，在银河彼岸寻找失联的母舰。',
    releaseInDays: -21,
    offInDays: 40,
  },
  {
    title: 'The Last Lighthouse',
    director: 'Emma Caldwell',
    actors: ['Oliver Grant', 'Maya Chen', 'Tom Hollis'],
    durationMinutes: 112,
    genres: ['Drama'],
    description: 'A keeper on a remote Scottish island faces the final winter before automation.',
    releaseInDays: -14,
    offInDays: 30,
  },
  {
    title: '长街烟火',
    director: '李慕白',
    actors: ['王景川', '苏念', '何嘉树'],
    durationMinutes: 126,
    genres: ['剧情', '家庭'],
    description: '老城区一条小吃街的拆迁前夜，三代人的告别与和解。',
    releaseInDays: -30,
    offInDays: 15,
  },
  {
    title: '熊猫出发吧',
    director: '何小川',
    actors: ['张一帆', '刘可欣'],
    durationMinutes: 95,
    genres: ['动画', '喜剧'],
    description: '一只怕高的小熊猫为了找回妹妹，踏上了穿越秦岭的旅程。',
    releaseInDays: -7,
    offInDays: null,
  },
  {
    title: 'Midnight Circuit',
    director: 'Marcus Reid',
    actors: ['Daniel Okafor', 'Sofia Lindqvist', 'Ray Turner'],
    durationMinutes: 131,
    genres: ['Action', 'Thriller'],
    description: 'An ex-racer is forced into one last illegal night race across Tokyo.',
    releaseInDays: -10,
    offInDays: 35,
  },
  {
    title: '破晓追击',
    director: '郑浩',
    actors: ['吴凯', '许婧', '梁天宇'],
    durationMinutes: 138,
    genres: ['动作', '犯罪'],
    description: '缉毒警察在边境小镇追查一批神秘货物，黎明前必须做出选择。',
    releaseInDays: -3,
    offInDays: 45,
  },
  {
    title: 'Paper Moons',
    director: 'Clara Jensen',
    actors: ['Lucas Moreau', 'Ava Whitfield'],
    durationMinutes: 104,
    genres: ['Romance', 'Comedy'],
    description: 'Two rival origami artists are paired for a festival in Kyoto.',
    releaseInDays: -18,
    offInDays: 20,
  },
  {
    title: '山海守望者',
    director: '高远',
    actors: ['沈星河', '唐雨桐', '罗志坚'],
    durationMinutes: 165,
    genres: ['奇幻', '动作'],
    description: '上古神兽苏醒，年轻的守山人必须重启失传的封印。',
    releaseInDays: 3,
    offInDays: null,
  },
  {
    title: 'The Quiet Orbit',
    director: 'Hannah Brooks',
    actors: ['James Whitaker', 'Lena Park'],
    durationMinutes: 142,
    genres: ['Sci-Fi', 'Drama'],
    description: 'The sole crew member of a research station hears a voice from Earth that should not exist.',
    releaseInDays: 5,
    offInDays: null,
  },
  {
    title: '夏日回声',
    director: '林晚',
    actors: ['许知夏', '陆明轩'],
    durationMinutes: 99,
    genres: ['爱情', '青春'],
    description: '高考后的海边小镇，一台旧收音机把两个少年连在一起。',
    releaseInDays: 12,
    offInDays: null,
  },
  {
    title: 'Iron Harbor',
    director: 'Michael Hartley',
    actors: ['Ethan Cole', 'Grace Mitchell', 'Samuel Price'],
    durationMinutes: 158,
    genres: ['War', 'History'],
    description: 'Dockworkers and sailors hold a besieged port through the winter of 1942.',
    releaseInDays: 25,
    offInDays: null,
  },
  {
    title: '锦绣江湖',
    director: '袁青',
    actors: ['韩墨', '白露', '钟离'],
    durationMinutes: 136,
    genres: ['武侠'],
    description: '江南织造世家卷入一场武林秘籍之争。',
    releaseInDays: 40,
    offInDays: null,
  },
];

/** Ticket prices in cents; the plan picks one per showtime so lists show a spread of begin prices. */
export const DEMO_PRICES_CENTS = [3990, 4500, 4990, 5500, 5990, 6900, 7900, 8900];
