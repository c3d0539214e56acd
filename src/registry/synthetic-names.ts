/**
 * Naming styles for synthetic residents: Bugis/Makassar, Balinese (birth-order names), Javanese, Sundanese,
 * Malay/Sumatran, Sasak, and the Christian given names and family names of eastern Indonesia, Batak lands,
 * Minahasa, Toraja and the Chinese-Indonesian community. Everything is upper case, as on the KTP.
 */
import type { Sex } from './port.js';
import type { Random } from './prng.js';

export type NameStyle = 'bugis' | 'bali' | 'java' | 'sunda' | 'malay' | 'sasak' | 'christian' | 'chinese';

/** Family names that children inherit (Batak marga, Minahasa fam, …); none for most styles. */
export type SurnamePool = readonly string[] | null;

const words = (s: string): readonly string[] => s.trim().split(/\s*,\s*/).map((w) => w.replace(/\s+/g, ' '));

const BUGIS_M = words(`MUHAMMAD, MUH. YUSUF, ABDUL RAHMAN, AHMAD, SYAMSUL BAHRI, BAHARUDDIN, HASANUDDIN, ARIFIN, RUSDI,
  JUMARDI, SYAHRIR, RIDWAN, AMIRUDDIN, NASRUDDIN, ANWAR, DARWIS, FIRMAN, AKBAR, IRFAN, ILHAM, FADLI, RAHMAT,
  HAERUDDIN, SUDIRMAN, AMBO DALLE, SAPRI, MUSTAMIN, SYAHRUL, ASWAR, HAMZAH, ZAINUDDIN, RAHMAN, SULKIFLI, ALIMUDDIN,
  MUSLIMIN, SAENAL, KAHAR, SAMSIR, ISKANDAR, ARDIANSYAH, MUH. ALIF, MUH. FAJRI, RISAL, ASHAR, BURHANUDDIN`);
const BUGIS_F = words(`SITTI AMINAH, NURHAYATI, HASNAWATI, ASMAWATI, ROSMIATI, MURNI, DARMAWATI, NURLINA, SUMARNI,
  HASMIAH, RAHMAWATI, JUMRIANI, NURUL HIKMAH, FITRIANI, MUTMAINNAH, HARDIANTI, SUKMAWATI, NURHIDAYAH, SITTI
  HADIJAH, SAHARIAH, MARLINA, NURAENI, HERMAWATI, JUMARIAH, KARTINI, SALMAWATI, NURFADILLAH, ISMAWATI, HASNAH,
  RAHMATIA, NURSIAH, SUARNI, WAHIDAH, TENRI AJENG, SAMSIDAR, NURJANNAH, FATIMAH, HAJRAH, SRI WAHYUNI, SYAMSIAH`);
const MAKASSAR_DAENG = words(`NGALLE, NAI, TOMPO, SIJAYA, TALLI, BELLA, NGASSENG, BASO, RANNU, LIWANG, SIKKI, MAMA, NGAI`);

const BALI_ORDER_M: readonly (readonly string[])[] = [
  ['WAYAN', 'PUTU', 'GEDE'],
  ['MADE', 'KADEK', 'NENGAH'],
  ['NYOMAN', 'KOMANG'],
  ['KETUT'],
];
const BALI_ORDER_F: readonly (readonly string[])[] = [
  ['LUH', 'PUTU', 'WAYAN'],
  ['MADE', 'KADEK'],
  ['NYOMAN', 'KOMANG'],
  ['KETUT'],
];
const BALI_M = words(`SUARDANA, ARSANA, WIRAWAN, SUDIARTA, ADNYANA, MAHENDRA, ARTAWAN, SUKADANA, BUDIARTA, ASTAWA,
  WIDIANA, DARMAWAN, YASA, SWASTIKA, JULIANTARA, SUPARTA, MERTAYASA, SUDARSANA, WIRYAWAN, PARWATA, ARIAWAN,
  SANTIKA, DIRGANTARA, SUKARMA, SUWITRA, RAI ARTHA, SEDANA, KARIASA, SUTAMA, ARYA WIGUNA`);
const BALI_F = words(`AYU LESTARI, SRI WAHYUNI, SUKMAWATI, ARIANI, SURYANI, KARTINI, ASTITI, YULIANTARI, WIDIASTUTI,
  SEKARINI, DEWI, SRIASIH, PUSPAWATI, RAI SUWARNI, ARTINI, SUDIANI, MARHAENI, SUCIATI, WINDARI, KUSUMAWATI,
  ARY PRATIWI, MERTASARI, SUARNINGSIH, PUSPITA DEWI, CANDRA DEWI`);

const JAVA_M = words(`BUDI SANTOSO, SLAMET, AGUS SALIM, SUTRISNO, BAMBANG, JOKO, SUPARMAN, WAHYU, HERU, EKO PRASETYO,
  DWI CAHYONO, TEGUH, SUGENG, HADI PURNOMO, SETIAWAN, NUGROHO, WIBOWO, SUSILO, SUPRIYADI, SUHARTO, SUMARNO,
  PONIMAN, SUKARDI, TRI WAHYUDI, ARIF BUDIMAN, RUDI HARTONO, ADI SAPUTRA, BAYU AJI, GILANG RAMADHAN, DIMAS`);
const JAVA_F = words(`SRI WAHYUNI, SITI AMINAH, ENDANG, TRI RAHAYU, WULANDARI, LESTARI, SUMARNI, SUPARTI, DEWI
  KARTIKA, NINGSIH, ASTUTI, PUJI LESTARI, RINI, YULIANI, SUSANTI, SULASTRI, SRI MULYANI, ANIK, WARSINAH, PAINEM,
  RATNA, INDAH, AYU PUSPITA, NOVITA SARI, DIAN PERMATASARI`);
const SUNDA_M = words(`ASEP, DEDI, UJANG, CECEP, DADANG, YAYAN, IWAN, WAWAN, HENDRA, KURNIAWAN, NANDANG, ADE, ENDANG,
  AEP SAEPUDIN, DENI, JAJANG, ROHMAT, SOBANDI, UDIN, ASEP SUNANDAR, YUDI, DODI, RIDWAN, FIRMANSYAH`);
const SUNDA_F = words(`RINA, NENG, EUIS, IMAS, YANTI, NINING, IIS, LILIS, CUCU, TATI, AI, NUNUNG, ELIS, YAYAH,
  DEDEH, ENTIN, NENENG, SITI NURJANAH, WIDIA, RISMA, NURLAELA, FITRI`);
const MALAY_M = words(`MUHAMMAD, AHMAD, ZULKIFLI, RAHMAT, FAUZI, SYAHRIAL, HENDRA, IRWAN, YUSRI, RIZKY, FAJAR, HAFIZ,
  RUDI, EFENDI, SYAFRIZAL, AZHAR, ARIF, ISKANDAR, ZAINAL, AMRI, RIDHO, ZULFIKAR, NASRUL, HAMDAN, JUNAIDI, MUSLIM,
  SYAHRUDDIN, BUSTAMI, FIRDAUS, HIDAYAT, ROSLAN, IDRIS, YUNUS, MAHMUD, IBRAHIM, FAISAL`);
const MALAY_F = words(`NURUL, SITI, RAHMAH, FITRI, YULIA, DEWI, NURHALIZA, AISYAH, PUTRI, ROSMAWATI, ZURAIDA,
  WAHYUNI, SARI, MARDIANA, HASANAH, NURHASANAH, JUNITA, ERNAWATI, YUSNIDAR, MASITAH, ROHANI, SALMAH, ZAKIAH,
  NURAINI, LIDYA, MELATI, ASMIDAR, RAHMI`);
const ACEH_PREFIX_M = 'TEUKU';
const ACEH_PREFIX_F = 'CUT';
const SASAK_M = words(`MUHAMMAD, SAHNAN, ZULKARNAEN, HAERUL, SAPARUDIN, JUMAIN, AMAQ, MAHSUN, SUHAIMI, HUSNI, SAHRUL`);
const SASAK_F = words(`NURUL, SUHARTINI, MARIANI, SAENAB, HUSNIATI, RAHMAWATI, INAQ, BAIQ NURUL, SITI HAJAR, MURNIATI`);

const CHRISTIAN_M = words(`YOHANES, PETRUS, MARKUS, YOSEF, STEFANUS, PAULUS, FRANSISKUS, DANIEL, YAKOB, AGUSTINUS,
  ROBERT, FRANS, BENYAMIN, HENDRIK, MARTHEN, YULIUS, ALFONS, SIMON, ELIAS, MIKHAEL, ROY, JEFRI, NOVEL`);
const CHRISTIAN_F = words(`MARIA, YULIANA, ELISABETH, MARGARETHA, AGUSTINA, MARTHA, YOHANA, ESTER, DEBORA, VERONIKA,
  THERESIA, KRISTINA, LUSIA, NOVITA, FEBRIANTI, SELVI, MEILANI, FRANSISKA, OKTAVIA, DESI, YANTI`);
const CHINESE_M = words(`HENDRA, BUDI, GUNAWAN, SUSANTO, HARTONO, KEVIN, WILLIAM, RONALD, JOHAN, FELIX, ANTON, VINCENT`);
const CHINESE_F = words(`LILY, MELIANA, SUSANTI, LINDA, WENNY, VERONICA, MEILIN, NATALIA, CHRISTINE, FENNY, YENNY`);

/** Family names by area, for the styles that carry one. */
export const SURNAMES = {
  batak: words(`SIMANJUNTAK, SIREGAR, SITOMPUL, SITUMORANG, HUTAPEA, SINAGA, PARDEDE, SIMATUPANG, HUTAGALUNG,
    PANJAITAN, MANURUNG, SIHOMBING, TAMBUNAN, NAINGGOLAN, SIANTURI, GULTOM`),
  bataksMuslim: words(`NASUTION, HARAHAP, LUBIS, DALIMUNTHE, HASIBUAN, RANGKUTI, POHAN, BATUBARA`),
  minahasa: words(`SONDAKH, WOWOR, TUMBELAKA, RUMENGAN, PANGEMANAN, LUMENTUT, MANDAGI, KAUNANG, SUMAMPOUW,
    RUNTUWENE, WATUNG, KALALO, POLII, LENGKONG, TAMBUWUN`),
  ntt: words(`TEFA, BENU, NENOBAIS, LAKE, MANAFE, NDUN, FANGGIDAE, PELLO, DJAHA, KOLO, SERAN, NAHAK, BERE, LEMA`),
  maluku: words(`PATTIASINA, SAHETAPY, MATULESSY, MANUHUTU, LEWERISSA, NANLOHY, TUHUMURY, LATUPEIRISSA, SOPACUA`),
  papua: words(`WONDA, KOGOYA, WENDA, RUMBIAK, MANDOWEN, KAISIEPO, YOKU, OHEE, SAWAKI, RUMAROPEN, MANSOBEN, WANMA`),
  toraja: words(`PAKIDING, RANTE, TANDIRERUNG, SAMPE, PALIMBONG, PAEMBONAN, TANGDILINTIN, PASANG, LEMBANG`),
  gorontalo: words(`TANGAHU, DAUD, MONOARFA, GOBEL, MOODUTO, KATILI, PAKAYA, DUNDA, HULUBANGGA, NAU`),
  chinese: words(`WIJAYA, HALIM, GUNAWAN, TANUWIJAYA, SALIM, KURNIAWAN, HARTONO, SANTOSO, SETIAWAN, LIMANTO`),
  dayak: words(`NGABUT, LAWING, DJUNAEDI, ANYANG, BILUNG, KOTAN, USAT, LIRIS, NYAMAN`),
} as const;

export interface NameRequest {
  style: NameStyle;
  sex: Sex;
  /** 0-based birth order among siblings (Balinese names). */
  birthOrder?: number;
  surname?: string;
  provinceCode: string;
  /** Bugis nobility (ANDI) runs in the father's line; the generator decides it per household. */
  noble?: boolean;
  /** Titles such as DAENG and the old LA prefix belong to grown-ups and elders. */
  generation?: 'child' | 'adult' | 'elder';
}

/** A full name in the requested style; deterministic given the Random state. */
export function personName(rnd: Random, req: NameRequest): string {
  const male = req.sex === 'LAKI-LAKI';
  let name: string;
  switch (req.style) {
    case 'bugis': {
      const given = rnd.pick(male ? BUGIS_M : BUGIS_F);
      const generation = req.generation ?? 'adult';
      if (req.noble) name = `ANDI ${given}`;
      else if (male && generation === 'elder' && rnd.chance(0.3)) name = `LA ${given.split(' ').at(-1)}`;
      else if (generation !== 'child' && rnd.chance(0.12)) name = `${given} DAENG ${rnd.pick(MAKASSAR_DAENG)}`;
      else name = given;
      break;
    }
    case 'bali': {
      const orders = male ? BALI_ORDER_M : BALI_ORDER_F;
      const slot = orders[(req.birthOrder ?? rnd.int(0, 3)) % 4] ?? orders[0]!;
      const caste = rnd.chance(0.05) ? (male ? 'IDA BAGUS' : 'IDA AYU') : rnd.chance(0.06) ? (male ? 'I GUSTI' : 'I GUSTI AYU') : null;
      const given = rnd.pick(male ? BALI_M : BALI_F);
      name = caste ? `${caste} ${given}` : `${male ? 'I' : 'NI'} ${rnd.pick(slot)} ${given}`;
      break;
    }
    case 'java':
      name = rnd.pick(male ? JAVA_M : JAVA_F);
      break;
    case 'sunda':
      name = rnd.pick(male ? SUNDA_M : SUNDA_F);
      if (rnd.chance(0.4)) name += ` ${rnd.pick(male ? SUNDA_M : SUNDA_F).split(' ')[0]}`;
      break;
    case 'sasak': {
      const noble = rnd.chance(0.15) ? (male ? 'LALU ' : 'BAIQ ') : '';
      name = noble + rnd.pick(male ? SASAK_M : SASAK_F);
      break;
    }
    case 'malay': {
      const aceh = req.provinceCode === '11' && rnd.chance(0.12) ? (male ? `${ACEH_PREFIX_M} ` : `${ACEH_PREFIX_F} `) : '';
      name = aceh + rnd.pick(male ? MALAY_M : MALAY_F);
      if (rnd.chance(0.55)) name += ` ${rnd.pick(male ? MALAY_M : MALAY_F)}`;
      break;
    }
    case 'christian':
      name = rnd.pick(male ? CHRISTIAN_M : CHRISTIAN_F);
      if (rnd.chance(0.3)) name += ` ${rnd.pick(male ? CHRISTIAN_M : CHRISTIAN_F)}`;
      break;
    case 'chinese':
      name = rnd.pick(male ? CHINESE_M : CHINESE_F);
      break;
  }
  if (req.surname && !name.endsWith(req.surname)) name += ` ${req.surname}`;
  return dedupeWords(name);
}

/** "MUHAMMAD MUHAMMAD" reads like a data-entry error; drop an immediately repeated word. */
function dedupeWords(name: string): string {
  const parts = name.split(' ');
  return parts.filter((p, i) => p !== parts[i - 1]).join(' ');
}

/** The surname pool for a style in a province, or null when that style carries none. */
export function surnamePool(style: NameStyle, provinceCode: string, religion: string): SurnamePool {
  if (style === 'chinese') return SURNAMES.chinese;
  if (style === 'malay' && provinceCode === '12') return SURNAMES.bataksMuslim;
  if (style === 'malay' && provinceCode === '75') return SURNAMES.gorontalo;
  if (style !== 'christian') return null;
  switch (provinceCode) {
    case '12':
      return SURNAMES.batak;
    case '71':
      return SURNAMES.minahasa;
    case '53':
      return SURNAMES.ntt;
    case '81':
    case '82':
      return SURNAMES.maluku;
    case '91':
    case '92':
      return SURNAMES.papua;
    case '73':
    case '76':
      return SURNAMES.toraja;
    case '61':
    case '62':
    case '64':
    case '65':
      return SURNAMES.dayak;
    default:
      return religion === 'KATHOLIK' ? SURNAMES.ntt : null;
  }
}

/** The naming style of a household from its province and religion. */
export function nameStyleFor(provinceCode: string, religion: string, rnd: Random): NameStyle {
  if (religion === 'HINDU') return 'bali';
  if (religion === 'BUDHA' || religion === 'KHONGHUCU') return 'chinese';
  if (religion === 'KRISTEN' || religion === 'KATHOLIK') return 'christian';
  switch (provinceCode) {
    case '73':
    case '76':
    case '74':
      return 'bugis';
    case '33':
    case '34':
    case '35':
      return 'java';
    case '32':
    case '36':
      return rnd.chance(0.8) ? 'sunda' : 'java';
    case '31':
      return rnd.weighted([['java', 4], ['sunda', 3], ['malay', 2], ['bugis', 1]] as const);
    case '18':
      return rnd.chance(0.6) ? 'java' : 'malay';
    case '52':
      return 'sasak';
    case '51':
      // Muslims of Bali: Kampung Bugis and Kampung Kajanan in Singaraja, Javanese migrants.
      return rnd.chance(0.5) ? 'bugis' : 'java';
    case '71':
    case '72':
    case '81':
    case '82':
    case '91':
    case '92':
    case '53':
      return rnd.chance(0.5) ? 'bugis' : 'malay';
    default:
      return 'malay';
  }
}
