/**
 * Region reference data: Kemendagri kode wilayah from the idn-area-data package (src/registry/regions-data.ts, generated
 * by scripts/regions-generate.ts): all 38 provinces, 514 regencies (kabupaten/kota) and 7 285 districts (kecamatan).
 * NIK validation accepts a NIK whose digits 1–6 name a province, regency and district here, or a pre-2022 Papua code
 * (below). Villages (desa/kelurahan) are not in this module: the hand-written detail below has some for the
 * regencies the synthetic registry fills by default, and the seed reads the package's full list on Node (villages.ts).
 *
 * Codes are the NIK's own digits without dots: province "73", regency "7310", district "731004". Names are upper
 * case as printed on the KTP. REGISTRATION_TABLE_PROVINCES keeps the 34 provinces of the IKD registration table
 * (seeds/004, Tabel 13, the 2022 figures) in its order and spelling.
 */
import { DISTRICT_ROWS, PROVINCE_ROWS, REGENCY_ROWS } from './regions-data.js';

export interface Province {
  /** Two digits, e.g. "73". */
  code: string;
  name: string;
}

export interface District {
  /** Six digits, e.g. "731004". */
  code: string;
  regencyCode: string;
  name: string;
  /** Some real villages (hand-written detail); empty where the detail has none (the seed then reads the package's). */
  villages: readonly string[];
}

export interface Regency {
  /** Four digits, e.g. "7310". */
  code: string;
  provinceCode: string;
  /** As printed on the KTP: "KABUPATEN PANGKAJENE DAN KEPULAUAN", "KOTA PAREPARE". */
  name: string;
  /** The seat (ibu kota), used as a plausible place of birth; the regency's own name where the detail has none. */
  seat: string;
  /** Whether the hand-written detail covers it (seat and villages). */
  detailed: boolean;
  districts: readonly District[];
}

/** The registration table (seeds/004, Tabel 13): the 34 provinces of the 2022 figures, in its order and spelling. */
export const REGISTRATION_TABLE_PROVINCES: readonly Province[] = [
  { code: '11', name: 'ACEH' },
  { code: '12', name: 'SUMATERA UTARA' },
  { code: '13', name: 'SUMATERA BARAT' },
  { code: '14', name: 'RIAU' },
  { code: '15', name: 'JAMBI' },
  { code: '16', name: 'SUMATERA SELATAN' },
  { code: '17', name: 'BENGKULU' },
  { code: '18', name: 'LAMPUNG' },
  { code: '19', name: 'KEPULAUAN BANGKA BELITUNG' },
  { code: '21', name: 'KEPULAUAN RIAU' },
  { code: '31', name: 'DKI JAKARTA' },
  { code: '32', name: 'JAWA BARAT' },
  { code: '33', name: 'JAWA TENGAH' },
  { code: '34', name: 'DAERAH ISTIMEWA YOGYAKARTA' },
  { code: '35', name: 'JAWA TIMUR' },
  { code: '36', name: 'BANTEN' },
  { code: '51', name: 'BALI' },
  { code: '52', name: 'NUSA TENGGARA BARAT' },
  { code: '53', name: 'NUSA TENGGARA TIMUR' },
  { code: '61', name: 'KALIMANTAN BARAT' },
  { code: '62', name: 'KALIMANTAN TENGAH' },
  { code: '63', name: 'KALIMANTAN SELATAN' },
  { code: '64', name: 'KALIMANTAN TIMUR' },
  { code: '65', name: 'KALIMANTAN UTARA' },
  { code: '71', name: 'SULAWESI UTARA' },
  { code: '72', name: 'SULAWESI TENGAH' },
  { code: '73', name: 'SULAWESI SELATAN' },
  { code: '74', name: 'SULAWESI TENGGARA' },
  { code: '75', name: 'GORONTALO' },
  { code: '76', name: 'SULAWESI BARAT' },
  { code: '81', name: 'MALUKU' },
  { code: '82', name: 'MALUKU UTARA' },
  { code: '91', name: 'PAPUA' },
  { code: '92', name: 'PAPUA BARAT' },
];

/** The three regions of the seeds (iCore Pangkep, buleleng.dukcapil.online, Parepare): most synthetic residents live here. */
export const FOCUS_REGENCY_CODES = ['7310', '5108', '7372'] as const;

/**
 * Hand-written detail for the regencies the synthetic registry populates by default (the seeds' three regions
 * complete, one or more per Tabel 13 province elsewhere): the seat (ibu kota, a plausible place of birth) and some
 * real villages per district. Codes and names come from the generated table; a code here that is not in it fails
 * test/unit/regions.test.ts. [regency code, name, seat, [district code (last two digits), name, villages "|"][]]
 */
type RegencyRow = readonly [string, string, string, readonly (readonly [string, string, string])[]];

const DETAIL_ROWS: readonly RegencyRow[] = [
  ['1101', 'KAB. ACEH SELATAN', 'TAPAKTUAN', [
    ['01', 'Bakongan', 'Keude Bakongan|Ujong Mangki|Ujong Padang|Gampong Drien'],
    ['05', 'Meukek', 'Kuta Buloh I|Ie Dingen|Drien Jalo|Keude Meukek'],
    ['08', 'Tapaktuan', 'Lhok Keutapang|Hilir|Padang|Hulu|Jambo Apha'],
  ]],
  ['1171', 'KOTA BANDA ACEH', 'BANDA ACEH', [
    ['01', 'Baiturrahman', 'Kampung Baru|Neusu Jaya|Sukaramai|Seutui|Peuniti'],
    ['02', 'Kuta Alam', 'Mulia|Peunayong|Laksana|Keuramat|Lampulo'],
    ['03', 'Meuraxa', 'Punge Jurong|Ulee Lheue|Lambung|Deah Glumpang'],
    ['04', 'Syiah Kuala', 'Jeulingke|Tibang|Deah Raya|Alue Naga|Rukoh'],
    ['05', 'Lueng Bata', 'Lueng Bata|Cot Mesjid|Panteriek|Batoh'],
    ['06', 'Kuta Raja', 'Keudah|Peulanggahan|Merduati|Gampong Pande'],
  ]],
  ['1271', 'KOTA MEDAN', 'MEDAN', [
    ['01', 'Medan Kota', 'Pasar Baru|Pusat Pasar|Sei Rengas I|Mesjid|Teladan Timur'],
    ['02', 'Medan Sunggal', 'Lalang|Sunggal|Babura Sunggal|Tanjung Rejo'],
    ['03', 'Medan Helvetia', 'Helvetia|Helvetia Tengah|Tanjung Gusta|Cinta Damai'],
    ['05', 'Medan Barat', 'Kesawan|Silalas|Glugur Kota|Karang Berombak'],
    ['17', 'Medan Baru', 'Petisah Hulu|Babura|Merdeka|Darat|Padang Bulan'],
    ['20', 'Medan Timur', 'Gang Buntu|Sidodadi|Durian|Perintis|Gaharu'],
  ]],
  ['1307', 'KAB. LIMA PULUH KOTA', 'PAYAKUMBUH', [
    ['01', 'Suliki', 'Kurai|Sungai Rimbang|Suliki|Limbanang'],
    ['05', 'Harau', 'Taram|Tarantang|Harau|Sarilamak|Koto Tuo'],
    ['13', 'Akabiluru', 'Sariak Laweh|Batuhampar|Suayan'],
  ]],
  ['1371', 'KOTA PADANG', 'PADANG', [
    ['01', 'Padang Selatan', 'Belakang Pondok|Alang Laweh|Batang Arau|Seberang Padang|Teluk Bayur|Air Manis'],
  ]],
  ['1405', 'KAB. PELALAWAN', 'PANGKALAN KERINCI', [
    ['01', 'Ukui', 'Ukui I|Air Hitam|Bukit Gajah|Lubuk Kembang'],
    ['02', 'Pangkalan Kerinci', 'Pangkalan Kerinci Barat|Pangkalan Kerinci Kota|Pangkalan Kerinci Timur|Makmur'],
    ['03', 'Pangkalan Kuras', 'Sorek I|Sorek II|Palas|Kemang'],
    ['05', 'Langgam', 'Langgam|Tambak|Penarikan|Segati'],
    ['06', 'Pelalawan', 'Pelalawan|Sungai Ara|Ransang|Delik'],
  ]],
  ['1504', 'KAB. BATANGHARI', 'MUARA BULIAN', [
    ['01', 'Mersam', 'Kembang Paseban|Sengkati Kecil|Mersam|Sungai Puar'],
    ['02', 'Muara Tembesi', 'Kampung Baru|Pasar Muara Tembesi|Jebak|Ampelu'],
    ['03', 'Muara Bulian', 'Muara Bulian|Teratai|Sridadi|Pasar Baru|Rengas Condong'],
    ['07', 'Bajubang', 'Bajubang|Bungku|Pompa Air|Petajen'],
  ]],
  ['1606', 'KAB. MUSI BANYUASIN', 'SEKAYU', [
    ['01', 'Sekayu', 'Kayu Ara|Serasan Jaya|Balai Agung|Sukarami|Lumpatan'],
    ['02', 'Lais', 'Danau Cala|Petaling|Lais|Teluk|Epil'],
    ['07', 'Sungai Lilin', 'Sungai Lilin|Sungai Lilin Jaya|Sri Gunung|Cinta Damai'],
    ['09', 'Bayung Lencir', 'Bayung Lencir|Muara Merang|Mangsang|Telang'],
  ]],
  ['1703', 'KAB. BENGKULU UTARA', 'ARGA MAKMUR', [
    ['01', 'Enggano', 'Banjar Sari|Meok|Malakoni|Kaana'],
    ['07', 'Kota Arga Makmur', 'Purwodadi|Gunung Alam|Tanjung Raman|Karang Suci'],
    ['10', 'Lais', 'Pasar Lais|Datar Lebar|Air Padang|Jagobayo'],
    ['12', 'Ketahun', 'Urai|Pasar Ketahun|Giri Kencana|Bukit Indah'],
  ]],
  ['1871', 'KOTA BANDAR LAMPUNG', 'BANDAR LAMPUNG', [
    ['01', 'Kedaton', 'Kedaton|Surabaya|Sukamenanti|Sidodadi|Penengahan'],
    ['02', 'Sukarame', 'Sukarame|Way Dadi|Sukarame Baru|Korpri Jaya'],
    ['03', 'Tanjungkarang Barat', 'Gedong Air|Sukajawa|Susunan Baru|Segalamider'],
    ['04', 'Panjang', 'Panjang Selatan|Srengsem|Panjang Utara|Pidada|Way Lunik'],
    ['06', 'Tanjungkarang Pusat', 'Durian Payung|Gotong Royong|Palapa|Kaliawi|Pasir Gintung'],
    ['10', 'Rajabasa', 'Rajabasa|Gedong Meneng|Rajabasa Nunyai|Rajabasa Jaya'],
    ['17', 'Enggal', 'Enggal|Pelita|Tanjungkarang|Gunungsari|Rawalaut|Pahoman'],
  ]],
  ['1901', 'KAB. BANGKA', 'SUNGAILIAT', [
    ['01', 'Sungailiat', 'Sungailiat|Sri Menanti|Kudai|Sinar Baru|Kenanga|Parit Padang|Matras'],
    ['02', 'Belinyu', 'Kuto Panji|Air Jukung|Bukit Ketok|Mantung|Belinyu'],
    ['03', 'Merawang', 'Batu Rusa|Balun Ijuk|Jurung|Kimak|Pagarawan'],
    ['05', 'Pemali', 'Air Ruai|Air Duren|Penyamun|Sempan|Pemali'],
  ]],
  ['1902', 'KAB. BELITUNG', 'TANJUNGPANDAN', [
    ['01', 'Tanjungpandan', 'Kota|Parit|Lesung Batang|Pangkallalang|Tanjungpendam|Air Saga'],
    ['04', 'Sijuk', 'Sijuk|Batu Itam|Terong|Tanjung Binga|Keciput'],
  ]],
  ['2171', 'KOTA BATAM', 'BATAM', [
    ['02', 'Batu Ampar', 'Tanjung Sengkuang|Sungai Jodoh|Batu Merah|Kampung Seraya'],
    ['03', 'Sekupang', 'Sungai Harapan|Tanjung Pinggir|Tanjung Riau|Tiban Indah|Tiban Lama'],
    ['04', 'Nongsa', 'Sambau|Batu Besar|Kabil|Ngenang'],
    ['06', 'Lubuk Baja', 'Kampung Pelita|Lubuk Baja Kota|Batu Selicin|Tanjung Uma|Baloi Indah'],
    ['10', 'Batam Kota', 'Baloi Permai|Taman Baloi|Teluk Tering|Belian|Sukajadi|Sungai Panas'],
  ]],
  ['2172', 'KOTA TANJUNG PINANG', 'TANJUNG PINANG', [
    ['01', 'Tanjung Pinang Barat', 'Tanjung Pinang Barat|Kemboja|Kampung Baru|Bukit Cermin'],
    ['03', 'Tanjung Pinang Kota', 'Tanjung Pinang Kota|Senggarang|Penyengat|Kampung Bugis'],
  ]],
  ['3171', 'KOTA ADM. JAKARTA PUSAT', 'JAKARTA', [
    ['01', 'Gambir', 'Gambir|Cideng|Petojo Utara|Petojo Selatan|Kebon Kelapa|Duri Pulo'],
    ['02', 'Sawah Besar', 'Pasar Baru|Karang Anyar|Kartini|Gunung Sahari Utara|Mangga Dua Selatan'],
    ['03', 'Kemayoran', 'Kemayoran|Kebon Kosong|Harapan Mulia|Serdang|Cempaka Baru|Sumur Batu'],
    ['04', 'Senen', 'Senen|Kenari|Paseban|Kramat|Kwitang|Bungur'],
    ['05', 'Cempaka Putih', 'Cempaka Putih Timur|Cempaka Putih Barat|Rawasari'],
    ['06', 'Menteng', 'Menteng|Pegangsaan|Cikini|Gondangdia|Kebon Sirih'],
    ['07', 'Tanah Abang', 'Gelora|Bendungan Hilir|Karet Tengsin|Petamburan|Kebon Melati|Kampung Bali'],
    ['08', 'Johar Baru', 'Johar Baru|Kampung Rawa|Galur|Tanah Tinggi'],
  ]],
  ['3174', 'KOTA ADM. JAKARTA SELATAN', 'JAKARTA', [
    ['01', 'Tebet', 'Tebet Timur|Tebet Barat|Menteng Dalam|Kebon Baru|Bukit Duri|Manggarai'],
    ['04', 'Pasar Minggu', 'Pasar Minggu|Jati Padang|Cilandak Timur|Ragunan|Pejaten Timur|Kebagusan'],
    ['07', 'Kebayoran Baru', 'Melawai|Gunung|Kramat Pela|Selong|Senayan|Gandaria Utara'],
    ['09', 'Jagakarsa', 'Jagakarsa|Srengseng Sawah|Ciganjur|Lenteng Agung|Cipedak'],
  ]],
  ['3175', 'KOTA ADM. JAKARTA TIMUR', 'JAKARTA', [
    ['01', 'Matraman', 'Pisangan Baru|Utan Kayu Utara|Kayu Manis|Palmeriam|Kebon Manggis'],
    ['03', 'Jatinegara', 'Kampung Melayu|Bidara Cina|Bali Mester|Rawa Bunga|Cipinang Muara'],
    ['07', 'Duren Sawit', 'Duren Sawit|Pondok Bambu|Klender|Pondok Kelapa|Malaka Sari|Pondok Kopi'],
  ]],
  ['3201', 'KAB. BOGOR', 'BOGOR', [
    ['01', 'Cibinong', 'Pondok Rajeg|Karadenan|Harapanjaya|Nanggewer|Cibinong|Pakansari|Sukahati'],
    ['02', 'Gunungputri', 'Wanaherang|Bojongkulur|Ciangsana|Gunungputri|Cicadas|Nagrak'],
    ['03', 'Citeureup', 'Puspanegara|Puspasari|Citeureup|Leuwinutug|Tajur|Hambalang'],
    ['04', 'Sukaraja', 'Gunung Geulis|Cilebut Timur|Cilebut Barat|Cibanon|Sukaraja|Cijujung'],
    ['05', 'Babakan Madang', 'Cijayanti|Sumur Batu|Sentul|Karang Tengah|Citaringgul'],
  ]],
  ['3372', 'KOTA SURAKARTA', 'SURAKARTA', [
    ['01', 'Laweyan', 'Pajang|Laweyan|Bumi|Panularan|Sriwedari|Purwosari'],
    ['03', 'Pasar Kliwon', 'Joyosuran|Semanggi|Pasarkliwon|Gajahan|Baluwarti|Kauman'],
    ['04', 'Jebres', 'Kepatihan Kulon|Sudiroprajan|Sewu|Jagalan|Jebres|Mojosongo'],
    ['05', 'Banjarsari', 'Kadipiro|Nusukan|Gilingan|Manahan|Sumber|Banyuanyar'],
  ]],
  ['3374', 'KOTA SEMARANG', 'SEMARANG', [
    ['01', 'Semarang Tengah', 'Miroto|Brumbungan|Jagalan|Kranggan|Sekayu|Kauman|Pekunden'],
    ['02', 'Semarang Utara', 'Bandarharjo|Bulu Lor|Plombokan|Purwosari|Kuningan|Tanjung Mas'],
    ['03', 'Semarang Timur', 'Kemijen|Rejomulyo|Mlatibaru|Kebonagung|Bugangan|Karangturi'],
    ['07', 'Semarang Selatan', 'Randusari|Bulustalan|Barusari|Pleburan|Wonodri|Peterongan'],
    ['10', 'Tembalang', 'Meteseh|Rowosari|Bulusan|Tembalang|Jangli|Tandang|Sendangmulyo'],
    ['11', 'Banyumanik', 'Pudakpayung|Gedawang|Pedalangan|Banyumanik|Srondol Kulon|Ngesrep'],
  ]],
  ['3401', 'KAB. KULON PROGO', 'WATES', [
    ['01', 'Temon', 'Jangkaran|Sindutan|Palihan|Glagah|Temon Wetan|Temon Kulon'],
    ['02', 'Wates', 'Wates|Karangwuni|Sogan|Ngestiharjo|Bendungan|Triharjo|Giripeni'],
    ['04', 'Galur', 'Banaran|Kranggan|Nomporejo|Karangsewu|Brosot'],
    ['06', 'Sentolo', 'Demangrejo|Srikayangan|Tuksono|Salamrejo|Sentolo'],
    ['07', 'Pengasih', 'Tawangsari|Karangsari|Kedungsari|Margosari|Pengasih|Sendangsari'],
  ]],
  ['3578', 'KOTA SURABAYA', 'SURABAYA', [
    ['01', 'Karang Pilang', 'Karang Pilang|Kebraon|Kedurus|Waru Gunung'],
    ['02', 'Wonocolo', 'Sidosermo|Bendul Merisi|Margorejo|Jemur Wonosari|Siwalankerto'],
    ['03', 'Rungkut', 'Kalirungkut|Rungkut Kidul|Kedung Baruk|Penjaringansari|Wonorejo|Medokan Ayu'],
    ['04', 'Wonokromo', 'Wonokromo|Jagir|Ngagel|Ngagel Rejo|Darmo|Sawunggaling'],
    ['06', 'Sawahan', 'Petemon|Sawahan|Banyu Urip|Putat Jaya|Kupang Krajan|Pakis'],
    ['07', 'Genteng', 'Embong Kaliasin|Genteng|Kapasari|Ketabang|Peneleh'],
    ['08', 'Gubeng', 'Gubeng|Mojo|Airlangga|Kertajaya|Baratajaya|Pucang Sewu'],
    ['09', 'Sukolilo', 'Keputih|Gebang Putih|Klampis Ngasem|Menur Pumpungan|Semolowaru'],
    ['16', 'Semampir', 'Ampel|Pegirian|Wonokusumo|Ujung|Sidotopo'],
  ]],
  ['3579', 'KOTA BATU', 'BATU', [
    ['01', 'Batu', 'Temas|Ngaglik|Songgokerto|Sisir|Sumberejo|Oro-oro Ombo'],
    ['02', 'Bumiaji', 'Punten|Gunungsari|Tulungrejo|Sumbergondo|Bumiaji'],
  ]],
  ['3601', 'KAB. PANDEGLANG', 'PANDEGLANG', [
    ['01', 'Sumur', 'Sumberjaya|Kertajaya|Kertamukti|Tunggaljaya|Tamanjaya|Ujungjaya'],
    ['06', 'Panimbang', 'Panimbangjaya|Mekarjaya|Gombong|Mekarsari|Citeureup'],
    ['12', 'Labuan', 'Rancateureup|Labuan|Banyubiru|Caringin|Teluk|Cigondang'],
    ['13', 'Menes', 'Alaswangi|Tegalwangi|Kananga|Menes|Muruy|Purwaraja'],
    ['14', 'Saketi', 'Langensari|Medalsari|Majau|Sodong|Saketi|Girijaya'],
  ]],
  ['5108', 'KAB. BULELENG', 'SINGARAJA', [
    ['01', 'Gerokgak', 'Sumberklampok|Pejarakan|Sumberkima|Pemuteran|Banyupoh|Penyabangan|Musi|Sanggalangit|Gerokgak|Patas|Pengulon|Tinga-Tinga|Celukanbawang|Tukadsumaga'],
    ['02', 'Seririt', 'Seririt|Unggahan|Ularan|Ringdikit|Rangdu|Mayong|Gunungsari|Munduk Bestala|Bestala|Kalianget|Joanyar|Tangguwisia|Sulanyah|Bubunan|Patemon|Pengastulan|Lokapaksa|Pangkungparuk|Banjarasem|Kalisada|Umeanyar'],
    ['03', 'Busungbiu', 'Sepang|Dapdap Putih|Bongancina|Pucaksari|Telaga|Titab|Subuk|Tinggarsari|Kedis|Kekeran|Busungbiu|Pelapuan|Bengkel|Umejero|Sepang Kelod'],
    ['04', 'Banjar', 'Banyuseri|Tirtasari|Kayuputih|Banyuatis|Gesing|Munduk|Gobleg|Pedawa|Cempaga|Sidetapa|Tampekan|Banjar Tegeha|Banjar|Dencarik|Temukus|Tigawasa|Kaliasem'],
    ['05', 'Sukasada', 'Sukasada|Pancasari|Wanagiri|Ambengan|Gitgit|Pegayaman|Silangjana|Pegadungan|Padangbulia|Sambangan|Panji|Panji Anom|Tegallinggah|Selat|Kayuputih'],
    ['06', 'Buleleng', 'Banyuasri|Banjar Tegal|Kendran|Paket Agung|Kampung Singaraja|Liligundi|Beratan|Banyuning|Penarukan|Kampung Kajanan|Astina|Banjar Jawa|Kaliuntu|Kampung Anyar|Kampung Bugis|Banjar Bali|Kampung Baru|Kalibukbuk|Anturan|Tukadmungga|Pemaron|Baktiseraga|Sarimekar|Nagasepaha|Petandakan|Alasangker|Poh Bergong|Jinengdalem|Penglatan'],
    ['07', 'Sawan', 'Lemukih|Galungan|Sekumpul|Bebetin|Sudaji|Sawan|Menyali|Suwug|Jagaraga|Sinabun|Kerobokan|Sangsit|Bungkulan|Giri Emas'],
    ['08', 'Kubutambahan', 'Tambakan|Pakisan|Bontihing|Tajun|Tunjung|Depeha|Tamblang|Bulian|Bila|Bengkala|Kubutambahan|Bukti|Mengening'],
    ['09', 'Tejakula', 'Sembiran|Pacung|Julah|Madenan|Bondalem|Tejakula|Les|Penuktukan|Sambirenteng|Tembok'],
  ]],
  ['5171', 'KOTA DENPASAR', 'DENPASAR', [
    ['01', 'Denpasar Selatan', 'Serangan|Pedungan|Sesetan|Panjer|Renon|Sanur|Sidakarya'],
    ['02', 'Denpasar Timur', 'Kesiman|Sumerta|Dangin Puri|Penatih|Sumerta Kelod'],
    ['03', 'Denpasar Barat', 'Dauh Puri|Pemecutan|Padangsambian|Tegal Harum|Tegal Kertha'],
    ['04', 'Denpasar Utara', 'Tonja|Ubung|Peguyangan|Dangin Puri Kaja|Ubung Kaja'],
  ]],
  ['5201', 'KAB. LOMBOK BARAT', 'GERUNG', [
    ['01', 'Gerung', 'Gerung Utara|Dasan Geres|Gerung Selatan|Kebon Ayu|Banyu Urip'],
    ['02', 'Kediri', 'Kediri|Montong Are|Gelogor|Rumak|Banyumulek'],
    ['03', 'Narmada', 'Lembuak|Nyur Lembang|Sedau|Suranadi|Sesaot'],
    ['09', 'Gunungsari', 'Gunungsari|Midang|Sesela|Kekait|Jatisela'],
    ['14', 'Batu Layar', 'Batulayar|Meninting|Sandik|Senteluk|Senggigi'],
  ]],
  ['5371', 'KOTA KUPANG', 'KUPANG', [
    ['01', 'Alak', 'Namosain|Nunbaun Sabu|Nunhila|Fatufeto|Manutapen|Alak|Batu Plat'],
    ['02', 'Maulafa', 'Oepura|Maulafa|Penfui|Naimata|Bello|Kolhua|Sikumana'],
    ['03', 'Kelapa Lima', 'Kelapa Lima|Oesapa|Lasiana|Oesapa Barat|Oesapa Selatan'],
    ['04', 'Oebobo', 'Oebobo|Oetete|Oebufu|Liliba|Fatululi|Kayu Putih'],
    ['05', 'Kota Raja', 'Bakunase|Airnona|Naikoten Satu|Kuanino|Nunleu|Fontein'],
    ['06', 'Kota Lama', 'Airmata|Bonipoi|Solor|Merdeka|Oeba|Fatubesi|Pasir Panjang'],
  ]],
  ['6101', 'KAB. SAMBAS', 'SAMBAS', [
    ['01', 'Sambas', 'Dalam Kaum|Lubuk Dagang|Tanjung Bugis|Pendawan|Pasar Melayu'],
    ['05', 'Pemangkat', 'Pemangkat Kota|Harapan|Penjajap|Jelutung|Perapakan'],
    ['08', 'Paloh', 'Sebubus|Nibung|Malek|Tanah Hitam|Temajuk'],
  ]],
  ['6171', 'KOTA PONTIANAK', 'PONTIANAK', [
    ['01', 'Pontianak Selatan', 'Benuamelayu Laut|Benuamelayu Darat|Parittokaya|Kotabaru|Akcaya'],
    ['02', 'Pontianak Timur', 'Paritmayor|Banjar Serasan|Saigon|Tanjung Hulu|Dalambugis'],
    ['03', 'Pontianak Barat', 'Pallima|Sungaijawi Dalam|Sungaijawi Luar|Sungaibeliung'],
    ['04', 'Pontianak Utara', 'Siantan Hulu|Siantan Tengah|Siantan Hilir|Batulayang'],
    ['05', 'Pontianak Kota', 'Sungaibangkong|Daratsekip|Tengah|Mariana|Sungaijawi'],
  ]],
  ['6201', 'KAB. KOTAWARINGIN BARAT', 'PANGKALAN BUN', [
    ['01', 'Kumai', 'Candi|Kumai Hulu|Kumai Hilir|Sungai Cabang|Teluk Pulai|Sungai Sekonyer'],
    ['02', 'Arut Selatan', 'Mendawai Seberang|Mendawai|Madurejo|Sidorejo|Raja|Baru|Pasir Panjang'],
    ['03', 'Kotawaringin Lama', 'Kotawaringin Hulu|Kotawaringin Hilir|Tempayung|Dawak'],
    ['06', 'Pangkalan Banteng', 'Pangkalan Banteng|Mulya Jadi|Karang Mulya|Kebun Agung'],
  ]],
  ['6202', 'KAB. KOTAWARINGIN TIMUR', 'SAMPIT', [
    ['05', 'Baamang', 'Baamang Hilir|Baamang Tengah|Baamang Hulu|Tanah Mas|Baamang Barat'],
    ['06', 'Mentawa Baru Ketapang', 'Mentawa Baru Hulu|Mentawa Baru Hilir|Ketapang|Sawahan|Pasir Putih'],
  ]],
  ['6271', 'KOTA PALANGKA RAYA', 'PALANGKA RAYA', [
    ['01', 'Pahandut', 'Pahandut|Panarung|Langkai|Tumbang Rungan|Pahandut Seberang|Tanjung Pinang'],
    ['02', 'Bukit Batu', 'Marang|Tumbang Tahai|Banturung|Tangkiling|Sei Gohong'],
    ['03', 'Jekan Raya', 'Palangka|Menteng|Bukit Tunggal|Petuk Katimpun'],
    ['04', 'Sabangau', 'Bereng Bengkel|Kalampangan|Kereng Bangkirai|Kameloh Baru|Sabaru'],
  ]],
  ['6301', 'KAB. TANAH LAUT', 'PELAIHARI', [
    ['01', 'Takisung', 'Benua Lawas|Tabanio|Kuala Tambangan|Takisung|Gunung Makmur'],
    ['03', 'Pelaihari', 'Sarang Halang|Karang Taruna|Pelaihari|Angsau|Pabahanan|Bumi Jaya'],
    ['05', 'Bati Bati', 'Benua Raya|Bati-Bati|Ujung|Liang Anggang|Banyu Irang'],
  ]],
  ['6371', 'KOTA BANJARMASIN', 'BANJARMASIN', [
    ['01', 'Banjarmasin Selatan', 'Mantuil|Kelayan Selatan|Pekauman|Kelayan Barat|Murung Raya|Tanjung Pagar'],
    ['02', 'Banjarmasin Timur', 'Kuripan|Kebun Bunga|Karang Mekar|Sungai Bilu|Banua Anyar|Pengambangan'],
    ['03', 'Banjarmasin Barat', 'Belitung Utara|Belitung Selatan|Pelambuan|Telaga Biru|Teluk Tiram|Basirih'],
    ['04', 'Banjarmasin Utara', 'Alalak Tengah|Alalak Utara|Sungai Jingah|Sungai Miai|Surgi Mufti|Kuin Utara'],
    ['05', 'Banjarmasin Tengah', 'Kertak Baru Ilir|Mawar|Teluk Dalam|Antasan Besar|Pasar Lama|Seberang Mesjid|Melayu'],
  ]],
  ['6471', 'KOTA BALIKPAPAN', 'BALIKPAPAN', [
    ['01', 'Balikpapan Timur', 'Manggar|Lamaru|Teritip|Manggar Baru'],
    ['02', 'Balikpapan Barat', 'Baru Ilir|Baru Tengah|Baru Ulu|Kariangau|Margo Mulyo'],
    ['05', 'Balikpapan Selatan', 'Sepinggan|Gunungbahagia|Sepinggan Baru|Damai Baru'],
    ['06', 'Balikpapan Kota', 'Prapatan|Telaga Sari|Klandasan Ulu|Klandasan Ilir|Damai'],
  ]],
  ['6472', 'KOTA SAMARINDA', 'SAMARINDA', [
    ['01', 'Palaran', 'Rawa Makmur|Handil Bakti|Bukuan|Simpang Pasir|Bantuas'],
    ['02', 'Samarinda Seberang', 'Sungai Keledang|Baqa|Mesjid|Mangkupalas|Gunung Panjang'],
    ['03', 'Samarinda Ulu', 'Teluk Lerong Ilir|Jawa|Air Putih|Sidodadi|Air Hitam|Gunung Kelua'],
    ['04', 'Samarinda Ilir', 'Selili|Sungai Dama|Sidomulyo|Sidodamai|Pelita'],
    ['09', 'Samarinda Kota', 'Karang Mumus|Pelabuhan|Pasar Pagi|Bugis|Sungai Pinang Luar'],
  ]],
  ['6501', 'KAB. BULUNGAN', 'TANJUNG SELOR', [
    ['01', 'Tanjung Palas', 'Tanjung Palas Hulu|Tanjung Palas Tengah|Tanjung Palas Hilir|Karang Anyar|Gunung Putih'],
    ['04', 'Tanjung Palas Timur', 'Tanah Kuning|Mangkupadi|Sajau|Wonomulyo|Binai'],
    ['05', 'Tanjung Selor', 'Tanjung Selor Hulu|Tanjung Selor Hilir|Tanjung Selor Timur|Jelarai Selor|Gunung Seriang|Bumi Rahayu'],
    ['10', 'Bunyu', 'Bunyu Barat|Bunyu Selatan|Bunyu Timur'],
  ]],
  ['6503', 'KAB. NUNUKAN', 'NUNUKAN', [
    ['01', 'Sebatik', 'Tanjungkarang|Balansiku|Sungai Manurung|Padaidi'],
    ['02', 'Nunukan', 'Nunukan Timur|Nunukan Barat|Nunukan Utara|Nunukan Tengah|Binusan'],
    ['09', 'Nunukan Selatan', 'Selisun|Nunukan Selatan|Mansapa|Tanjung Harapan'],
  ]],
  ['7173', 'KOTA TOMOHON', 'TOMOHON', [
    ['01', 'Tomohon Selatan', 'Pinaras|Lahendong|Tondangow|Pangolombian|Tumatangtang|Kampung Jawa|Lansot|Walian'],
    ['02', 'Tomohon Tengah', 'Talete Satu|Talete Dua|Kamasi|Kolongan|Matani Satu|Matani Dua'],
    ['03', 'Tomohon Utara', 'Tinoor Satu|Tinoor Dua|Kinilow|Kakaskasen Satu|Wailan|Kayawu'],
    ['04', 'Tomohon Barat', 'Woloan Satu|Woloan Dua|Woloan Tiga|Taratara Satu|Taratara'],
    ['05', 'Tomohon Timur', 'Paslaten Satu|Paslaten Dua|Rurukan|Kumelembuay'],
  ]],
  ['7174', 'KOTA KOTAMOBAGU', 'KOTAMOBAGU', [
    ['01', 'Kotamobagu Utara', 'Biga|Upai|Genggulang|Bilalang Satu|Pontodon|Sia'],
    ['02', 'Kotamobagu Timur', 'Kotobangun|Tumubui|Sinindian|Matali|Motoboi Besar|Moyag'],
    ['04', 'Kotamobagu Barat', 'Mongkonai|Molinow|Mogolaing|Gogagoman|Kotamobagu'],
  ]],
  ['7201', 'KAB. BANGGAI', 'LUWUK', [
    ['01', 'Batui', 'Bugis|Balantang|Batui|Tolando|Lamo|Sisipan'],
    ['04', 'Luwuk', 'Luwuk|Baru|Soho|Bungin|Karaton|Kaleke'],
    ['07', 'Pagimana', 'Pakowa|Pagimana|Basabungan|Tampe|Asaan'],
    ['20', 'Luwuk Selatan', 'Simpong|Hanga Hanga|Jole|Kompo|Maahas'],
    ['21', 'Luwuk Utara', 'Kilongan|Kilongan Permai|Biak|Bunga|Kamumu|Salodik'],
  ]],
  ['7202', 'KAB. POSO', 'POSO', [
    ['01', 'Poso Kota', 'Moengko Lama|Moengko Baru|Kayamanya|Gebangrejo|Gebangrejo Timur'],
    ['02', 'Poso Pesisir', 'Kasinguncu|Mapane|Tabalu|Betania|Toini|Masani'],
    ['03', 'Lage', 'Tampemadoro|Pandiri|Watuawu|Tambaro|Tagolu|Silanca'],
  ]],
  ['7310', 'KAB. PANGKAJENE DAN KEPULAUAN', 'PANGKAJENE', [
    ['01', 'Liukang Tangaya', 'Sapuka|Sabaru|Balo Baloang|Sabalana|Tampaang|Sailus|Satanger|Kapoposang Bali|Poleonro'],
    ['02', 'Liukang Kalmas', 'Kalu-Kalukuang|Pammas|Sabaru|Kanyurang|Doang Doangan Lompo|Marasende|Dewakang'],
    ['03', 'Liukang Tupabbiring', 'Mattiro Sompe|Mattiro Bintang|Mattiro Deceng|Mattiro Langi|Mattiro Matae|Mattiro Ujung|Mattiro Dolangeng|Mattiro Bone|Mattaro Adae'],
    ['04', 'Pangkajene', 'Jagong|Mappasaile|Pabundukang|Anrong Appaka|Sibatua|Padoang Doangan|Tumampua|Tekolabbua|Bonto Perak'],
    ['05', 'Balocci', 'Balleangin|Balocci Baru|Kassi|Tonasa|Tompo Bulu'],
    ['06', 'Bungoro', 'Bori Appaka|Samalewa|Sapanang|Bowong Cindea|Tabo-Tabo|Mangilu|Bulu Cindea|Biring Ere'],
    ['07', 'Labakkang', 'Labakkang|Mangallekana|Pundata Baji|Borimasunggu|Patallassang|Manakku|Gentung|Batara|Taraweang|Kanaungan|Bonto Manai|Kassiloe|Bara Batu'],
    ['08', "Ma'rang", "Bonto-Bonto|Talaka|Ma'rang|Attang Salo|Padang Lampe|Tamangapa|Pitusunggu|Pitue|Punranga|Alesipitto"],
    ['09', 'Segeri', 'Bonto Matene|Segeri|Bone|Bawasalo|Baring|Parenreng'],
    ['10', "Minasa Te'ne", "Minasa Te'ne|Kalabbirang|Biraeng|Bonto Kio|Bontoa|Bonto Langkasa|Kabba|Panaikang"],
    ['11', 'Mandalle', "Benteng|Manggalung|Tama'rupa|Mandalle|Boddie|Coppo Tompong"],
    ['12', 'Tondong Tallasa', 'Bantimurung|Tondongkura|Lanne|Bulu Tellue|Malaka|Bonto Birao'],
    ['13', 'Liukang Tupabbiring Utara', 'Mattiro Kanja|Mattiro Baji|Mattiro Bulu|Mattiro Bombang|Mattiro Labangeng|Mattiro Uleng|Mattiro Walie'],
  ]],
  ['7372', 'KOTA PAREPARE', 'PAREPARE', [
    ['01', 'Bacukiki', 'Galung Maloang|Lemoe|Lompoe|Watang Bacukiki'],
    ['02', 'Ujung', 'Labukkang|Lapadde|Mallusetasi|Ujung Bulu|Ujung Sabbang'],
    ['03', 'Soreang', 'Bukit Harapan|Bukit Indah|Kampung Pisang|Lakessi|Ujung Baru|Ujung Lare|Watang Soreang'],
    ['04', 'Bacukiki Barat', 'Kampung Baru|Cappa Galung|Lumpue|Tiro Sompe|Sumpang Minangae|Bumi Harapan'],
  ]],
  ['7373', 'KOTA PALOPO', 'PALOPO', [
    ['01', 'Wara', 'Tompotikka|Boting|Amasangan|Lagaligo|Dangerakko'],
    ['02', 'Wara Utara', 'Batupasi|Sabbang Paru|Salobulo|Penggoli'],
  ]],
  ['7401', 'KAB. KOLAKA', 'KOLAKA', [
    ['01', 'Wundulako', '19 Nopember|Wundulako|Lamekongga|Silea|Towua'],
    ['04', 'Kolaka', 'Lamokato|Watuliandu|Balandete|Lalombaa|Sabilambo|Laloeha|Tahoa'],
    ['07', 'Pomalaa', 'Dawi-Dawi|Pomalaa|Tonggoni|Kumoro|Huko-Huko'],
    ['14', 'Latambaga', 'Mangolo|Kolakaasi|Sea|Latambaga|Sakuli'],
  ]],
  ['7501', 'KAB. GORONTALO', 'LIMBOTO', [
    ['01', 'Limboto', 'Kayubulan|Kayumerah|Hunggaluwa|Bolihuangga|Hepuhulawa|Hutuo'],
    ['02', 'Telaga', 'Bulila|Mongolato|Luhu|Hulawa|Pilohayanga'],
    ['04', 'Tibawa', 'Isimu Utara|Isimu Selatan|Datahu|Tolotio|Labanu'],
  ]],
  ['7571', 'KOTA GORONTALO', 'GORONTALO', [
    ['01', 'Kota Barat', 'Dembe I|Lekobalo|Pilolodaa|Buliide|Tenilo|Buladu'],
    ['02', 'Kota Selatan', 'Biawao|Biawu|Limba B|Limba U I|Limba U II'],
    ['03', 'Kota Utara', 'Dembe II|Wongkaditi Timur|Wongkaditi Barat|Dulomo Selatan|Dulomo Utara'],
    ['05', 'Kota Timur', 'Heledulaa Utara|Heledulaa Selatan|Ipilo|Moodu|Padebuolo|Tamalate'],
    ['06', 'Kota Tengah', 'Wumialo|Dulalowo|Liluwo|Pulubala|Paguyaman'],
  ]],
  ['7602', 'KAB. MAMUJU', 'MAMUJU', [
    ['01', 'Mamuju', 'Binanga|Mamunyu|Karema|Rimuku|Bambu|Karampuang'],
    ['02', 'Tapalang', 'Galung|Kasambang|Dayanginna|Orobatu|Takandeang'],
    ['03', 'Kalukku', 'Sinyonyoi|Bebanga|Kalukku|Sondoang|Beru-Beru'],
    ['12', 'Simboro dan Kepulauan', 'Simboro|Rangas|Botteng|Saletto|Sumare'],
  ]],
  ['7604', 'KAB. POLEWALI MANDAR', 'POLEWALI', [
    ['01', 'Tinambung', 'Tinambung|Karama|Tangnga Tangnga|Lekopadis|Galung Lombok'],
    ['02', 'Campalagian', 'Pappang|Laliko|Bonde|Lapeo|Parappe'],
    ['03', 'Wonomulyo', 'Sidodadi|Sidorejo|Sumberjo|Bumiayu|Kebunsari|Nepo'],
    ['04', 'Polewali', 'Polewali|Wattang|Sulewatang|Lantora|Takatidung|Pekkabata|Madatte'],
  ]],
  ['8171', 'KOTA AMBON', 'AMBON', [
    ['01', 'Nusaniwe', 'Nusaniwe|Wainitu|Benteng|Kudamati|Mangga Dua|Urimessing|Waihaong|Latuhalat|Amahusu'],
    ['02', 'Sirimau', 'Pandan Kasturi|Rijali|Amantelu|Karang Panjang|Waihoka|Batu Meja|Batu Gajah|Galala|Batu Merah|Soya'],
    ['03', 'Baguala', 'Lateri|Passo|Halong|Latta|Negeri Lama|Nania|Waiheru'],
    ['04', 'Teluk Ambon', 'Tihu|Poka|Rumah Tiga|Wayame|Tawiri|Hative Besar|Laha'],
    ['05', 'Leitimur Selatan', 'Hukurila|Ema|Kilang|Naku|Hatalai|Hutumury|Rutong'],
  ]],
  ['8201', 'KAB. HALMAHERA BARAT', 'JAILOLO', [
    ['01', 'Jailolo', 'Gufasa|Guaimaadu|Jalan Baru|Gam Lamo|Soakonora|Galala|Payo|Bobo'],
    ['02', 'Loloda', 'Kedi|Soasio|Totala|Tolofuo|Tuguis'],
    ['04', 'Sahu', 'Susupu|Lako Akelamo|Taruba|Todahe|Peot|Sasur'],
    ['05', 'Jailolo Selatan', 'Sidangoli Gam|Sidongoli Dehe|Domato|Tataleka|Dodinga'],
  ]],
  ['8203', 'KAB. HALMAHERA UTARA', 'TOBELO', [
    ['04', 'Galela', 'Soa-Sio|Pune|Mamuya|Toweka|Simau'],
    ['05', 'Tobelo', 'Gamsungi|Gura|Wari|Kakara|Kumo|Gosoma|Rawajaya'],
    ['06', 'Tobelo Selatan', 'Kupa Kupa|Gamhoku|Efi Efi|Tomahalu|Paca|Leleoto'],
  ]],
  ['9103', 'KAB. JAYAPURA', 'SENTANI', [
    ['01', 'Sentani', 'Sentani Kota|Dobonsolo|Hinekombe|Sereh|Yobeh|Ilfele|Hobong'],
    ['02', 'Sentani Timur', 'Nolokla|Puai|Asei Besar|Nendali'],
    ['03', 'Depapre', 'Waiya|Entiyebo|Kendate|Tablasupa|Yepase|Wambena'],
    ['04', 'Sentani Barat', 'Dosay|Maribu|Sabron Sari|Sabro Yaru'],
    ['13', 'Waibu', 'Doyo Lama|Kwadeware|Yakonde|Sosiri|Doyo Baru'],
  ]],
  ['9105', 'KAB. KEPULAUAN YAPEN', 'SERUI', [
    ['01', 'Yapen Selatan', 'Tarau|Serui Kota|Serui Jaya|Serui Laut|Banawa|Turu|Pasir Putih'],
    ['02', 'Yapen Barat', 'Ansus|Webi|Papuama|Kairawi|Natabui'],
    ['06', 'Kosiwo', 'Kamanap|Aromarea|Maria Rotu|Kanawa|Sarawandori'],
  ]],
  ['9203', 'KAB. FAKFAK', 'FAKFAK', [
    ['01', 'Fak-Fak', 'Fak Fak Selatan|Fak Fak Utara|Gewerpe|Lusi Peri|Wrikapal'],
    ['04', 'Kokas', 'Kokas Kota|Mandoni|Sekar|Ugar|Sisir|Kampung Baru'],
    ['05', 'Fak-Fak Tengah', 'Danaweria|Kayu Merah|Katemba|Raduria|Air Besar'],
    ['10', 'Pariwari', 'Wagom|Wagom Utara|Dulanpokpok|Tanama|Sekban|Torea'],
  ]],
  ['9206', 'KAB. TELUK BINTUNI', 'BINTUNI', [
    ['01', 'Bintuni', 'Bintuni Timur|Bintuni Barat|Tuasai|Argosigemerai|Beimes|Iguriji'],
    ['04', 'Aranday', 'Aranday|Kampung Baru|Kecap|Manunggal Karya'],
    ['11', 'Manimeri', 'Bumi Saniari|Banjar Ausoy|Waraitama|Pasamai|Korano Jaya'],
  ]],
];

const upper = (s: string) => s.toUpperCase().replace(/\s+/g, ' ').trim();
const seatOf = (regencyName: string) => regencyName.replace(/^(KABUPATEN|KOTA)( ADMINISTRASI)? /, '');

const tableNames = new Map(REGISTRATION_TABLE_PROVINCES.map((p) => [p.code, p.name]));

/** All 38 provinces in code order; the registration table's spelling where it has the province ("DKI JAKARTA"). */
export const PROVINCES: readonly Province[] = PROVINCE_ROWS.split('|').map((row) => {
  const code = row.slice(0, 2);
  return { code, name: tableNames.get(code) ?? upper(row.slice(2)) };
});

const detailByCode = new Map(DETAIL_ROWS.map((row) => [row[0], row]));

export const REGENCIES: readonly Regency[] = REGENCY_ROWS.split('|').map((row) => {
  const code = row.slice(0, 4);
  const name = upper(row.slice(4));
  const detail = detailByCode.get(code);
  const villagesOf = new Map((detail?.[3] ?? []).map(([d, , villages]) => [code + d, villages.split('|').map(upper)]));
  return {
    code,
    provinceCode: code.slice(0, 2),
    name,
    seat: detail ? upper(detail[2]) : seatOf(name),
    detailed: detail !== undefined,
    districts: (DISTRICT_ROWS[code] ?? '').split('|').filter(Boolean).map((d) => ({
      code: code + d.slice(0, 2),
      regencyCode: code,
      name: upper(d.slice(2)),
      villages: villagesOf.get(code + d.slice(0, 2)) ?? [],
    })),
  };
});

/** The hand-written detail's own district codes, for the check that each is a real one. */
export const DETAIL_DISTRICT_CODES: readonly string[] = DETAIL_ROWS.flatMap(([code, , , districts]) => districts.map(([d]) => code + d));

/**
 * Regencies that moved when Papua was split (2022: Papua Selatan 93, Papua Tengah 94, Papua Pegunungan 95, Papua
 * Barat Daya 96) kept their district numbers but got new regency codes. KTPs issued before carry the old ones, so
 * NIKs with them stay valid: old regency code → current one.
 */
export const PRE_2022_PAPUA_REGENCIES: Readonly<Record<string, string>> = {
  '9101': '9301', '9116': '9302', '9117': '9303', '9118': '9304',
  '9104': '9401', '9107': '9402', '9108': '9403', '9109': '9404', '9125': '9405', '9126': '9406', '9127': '9407', '9128': '9408',
  '9102': '9501', '9112': '9502', '9113': '9503', '9114': '9504', '9121': '9505', '9122': '9506', '9123': '9507', '9124': '9508',
  '9201': '9601', '9204': '9602', '9205': '9603', '9209': '9604', '9210': '9605', '9271': '9671',
};

const provinceByCode = new Map(PROVINCES.map((p) => [p.code, p]));
const regencyByCode = new Map(REGENCIES.map((r) => [r.code, r]));
const districtByCode = new Map(REGENCIES.flatMap((r) => r.districts.map((d) => [d.code, d] as const)));
const currentRegencyCode = (code: string) => PRE_2022_PAPUA_REGENCIES[code] ?? code;

export function findProvince(code: string): Province | undefined {
  return provinceByCode.get(code);
}

/** By four digits, e.g. "7310"; a pre-2022 Papua code ("9101") finds the regency under its current code ("9301"). */
export function findRegency(code: string): Regency | undefined {
  return regencyByCode.get(currentRegencyCode(code));
}

/** By six digits, e.g. "731004"; pre-2022 Papua codes as for findRegency. */
export function findDistrict(code: string): District | undefined {
  return districtByCode.get(currentRegencyCode(code.slice(0, 4)) + code.slice(4));
}

export function regenciesOfProvince(provinceCode: string): Regency[] {
  return REGENCIES.filter((r) => r.provinceCode === provinceCode);
}
