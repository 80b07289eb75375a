/**
 * The consent receipt's words in the languages a person is most likely to read: Bulgarian
 * (always printed), and English, Romanian, Arabic (right to left), Ukrainian, Russian. A
 * language is one entry; the type makes each complete.
 */
import type { DataCategory, ParticipantKind, Purpose } from './api.ts';

export interface ReceiptText {
  name: string;
  dir: 'ltr' | 'rtl';
  locale: string;
  title: string;
  intro: string;
  agreedTo: string;
  recipients: string;
  recipientKinds: string;
  purposes: string;
  categories: string;
  validFrom: string;
  validUntil: string;
  noEnd: string;
  givenBy: string;
  givers: Record<'self' | 'guardian' | 'legal-representative', string>;
  withdrawTitle: string;
  withdrawText: string;
  code: string;
  reference: string;
  recordedAt: string;
  signed: string;
  purpose: Record<Purpose, string>;
  category: Record<DataCategory, string>;
  kind: Record<ParticipantKind, string>;
}

export const RECEIPT_LANGUAGES = ['bg', 'en', 'ro', 'ar', 'uk', 'ru'] as const;
export type ReceiptLanguage = (typeof RECEIPT_LANGUAGES)[number];

export const RECEIPT_TEXTS: Record<ReceiptLanguage, ReceiptText> = {
  bg: {
    name: 'Български', dir: 'ltr', locale: 'bg-BG',
    title: 'Разписка за дадено съгласие',
    intro: 'Вие дадохте съгласие данни за вас да бъдат предоставени, както е описано по-долу. Пазете тази разписка.',
    agreedTo: 'За какво дадохте съгласие', recipients: 'На кого', recipientKinds: 'На организации от вида', purposes: 'За какви цели', categories: 'Какви данни',
    validFrom: 'В сила от', validUntil: 'В сила до', noEnd: 'докато не го оттеглите', givenBy: 'Съгласието е дадено от',
    givers: { self: 'вас лично', guardian: 'вашия настойник', 'legal-representative': 'вашия законен представител' },
    withdrawTitle: 'Как да оттеглите съгласието',
    withdrawText: 'Можете да оттеглите съгласието си по всяко време, без да посочвате причина. Покажете или кажете кода по-долу на всеки служител по съгласията или на всяка неправителствена организация, участваща в механизма за насочване, или се обърнете към организацията, която го записа. Оттеглянето спира всяко предаване, което още не е извършено.',
    code: 'Код за оттегляне', reference: 'Номер на съгласието', recordedAt: 'Записано на',
    signed: 'Записът на това съгласие е подписан електронно от Референтния шлюз.',
    purpose: { 'protection-and-assistance': 'защита и помощ', reintegration: 'реинтеграция', 'safe-return': 'безопасно завръщане', 'criminal-proceedings': 'наказателно производство', compensation: 'обезщетение', coordination: 'координация на помощта', statistics: 'статистика' },
    category: { identity: 'самоличност', contact: 'данни за връзка', location: 'местонахождение', health: 'здраве', exploitation: 'какво сте преживели (експлоатация)', 'needs-and-services': 'нужди и услуги', 'legal-proceedings': 'съдебни производства', family: 'семейство' },
    kind: { 'law-enforcement': 'правоохранителни органи', 'child-protection': 'органи за закрила на детето', 'social-assistance': 'социално подпомагане', coordinator: 'координиращ орган', ngo: 'неправителствени организации', 'foreign-partner': 'партньори в чужбина' },
  },
  en: {
    name: 'English', dir: 'ltr', locale: 'en-GB',
    title: 'Receipt for your consent',
    intro: 'You agreed that information about you may be shared as described below. Keep this receipt.',
    agreedTo: 'What you agreed to', recipients: 'With whom', recipientKinds: 'With organisations of the kind', purposes: 'For what purposes', categories: 'What information',
    validFrom: 'Valid from', validUntil: 'Valid until', noEnd: 'until you withdraw it', givenBy: 'Consent was given by',
    givers: { self: 'you', guardian: 'your guardian', 'legal-representative': 'your legal representative' },
    withdrawTitle: 'How to withdraw your consent',
    withdrawText: 'You may withdraw your consent at any time, without giving a reason. Show or tell the code below to any consent officer or to any NGO taking part in the referral mechanism, or contact the organisation that recorded it. Withdrawal stops every transfer not yet made.',
    code: 'Withdrawal code', reference: 'Consent number', recordedAt: 'Recorded on',
    signed: 'The record of this consent is electronically signed by the Referral Gateway.',
    purpose: { 'protection-and-assistance': 'protection and assistance', reintegration: 'reintegration', 'safe-return': 'safe return', 'criminal-proceedings': 'criminal proceedings', compensation: 'compensation', coordination: 'coordinating your support', statistics: 'statistics' },
    category: { identity: 'identity', contact: 'contact details', location: 'where you are', health: 'health', exploitation: 'what happened to you (exploitation)', 'needs-and-services': 'needs and services', 'legal-proceedings': 'legal proceedings', family: 'family' },
    kind: { 'law-enforcement': 'law enforcement', 'child-protection': 'child protection authorities', 'social-assistance': 'social assistance', coordinator: 'the coordinating body', ngo: 'NGOs', 'foreign-partner': 'partners abroad' },
  },
  ro: {
    name: 'Română', dir: 'ltr', locale: 'ro-RO',
    title: 'Dovadă a consimțământului dumneavoastră',
    intro: 'Ați fost de acord ca informații despre dumneavoastră să fie transmise așa cum este descris mai jos. Păstrați această dovadă.',
    agreedTo: 'La ce ați consimțit', recipients: 'Cui', recipientKinds: 'Organizațiilor de tipul', purposes: 'În ce scopuri', categories: 'Ce informații',
    validFrom: 'Valabil de la', validUntil: 'Valabil până la', noEnd: 'până când îl retrageți', givenBy: 'Consimțământul a fost dat de',
    givers: { self: 'dumneavoastră', guardian: 'tutorele dumneavoastră', 'legal-representative': 'reprezentantul dumneavoastră legal' },
    withdrawTitle: 'Cum vă retrageți consimțământul',
    withdrawText: 'Vă puteți retrage consimțământul oricând, fără să dați vreun motiv. Arătați sau spuneți codul de mai jos oricărui ofițer pentru consimțământ sau oricărei organizații neguvernamentale din mecanismul de referire, ori adresați-vă organizației care l-a înregistrat. Retragerea oprește orice transmitere care nu a avut loc încă.',
    code: 'Cod de retragere', reference: 'Numărul consimțământului', recordedAt: 'Înregistrat la',
    signed: 'Înregistrarea acestui consimțământ este semnată electronic de Referral Gateway.',
    purpose: { 'protection-and-assistance': 'protecție și asistență', reintegration: 'reintegrare', 'safe-return': 'întoarcere în siguranță', 'criminal-proceedings': 'procedură penală', compensation: 'despăgubire', coordination: 'coordonarea sprijinului', statistics: 'statistică' },
    category: { identity: 'identitate', contact: 'date de contact', location: 'unde vă aflați', health: 'sănătate', exploitation: 'ce vi s-a întâmplat (exploatare)', 'needs-and-services': 'nevoi și servicii', 'legal-proceedings': 'proceduri judiciare', family: 'familie' },
    kind: { 'law-enforcement': 'organele de ordine', 'child-protection': 'autoritățile pentru protecția copilului', 'social-assistance': 'asistența socială', coordinator: 'organismul de coordonare', ngo: 'organizațiile neguvernamentale', 'foreign-partner': 'partenerii din străinătate' },
  },
  ar: {
    name: 'العربية', dir: 'rtl', locale: 'ar',
    title: 'إيصال موافقتك',
    intro: 'لقد وافقت على مشاركة معلومات عنك كما هو موضح أدناه. احتفظ بهذا الإيصال.',
    agreedTo: 'ما وافقت عليه', recipients: 'مع من', recipientKinds: 'مع جهات من نوع', purposes: 'لأي أغراض', categories: 'أي معلومات',
    validFrom: 'سارية من', validUntil: 'سارية حتى', noEnd: 'إلى أن تسحبها', givenBy: 'أعطى الموافقة',
    givers: { self: 'أنت', guardian: 'الوصي عليك', 'legal-representative': 'ممثلك القانوني' },
    withdrawTitle: 'كيف تسحب موافقتك',
    withdrawText: 'يمكنك سحب موافقتك في أي وقت ودون ذكر سبب. أظهر الرمز أدناه أو اذكره لأي موظف مختص بالموافقات أو لأي منظمة غير حكومية مشاركة في آلية الإحالة، أو تواصل مع الجهة التي سجلتها. يوقف السحب كل نقل للمعلومات لم يتم بعد.',
    code: 'رمز السحب', reference: 'رقم الموافقة', recordedAt: 'سُجّلت في',
    signed: 'سجل هذه الموافقة موقّع إلكترونيًا من بوابة الإحالة.',
    purpose: { 'protection-and-assistance': 'الحماية والمساعدة', reintegration: 'إعادة الإدماج', 'safe-return': 'العودة الآمنة', 'criminal-proceedings': 'الإجراءات الجنائية', compensation: 'التعويض', coordination: 'تنسيق الدعم المقدم لك', statistics: 'الإحصاءات' },
    category: { identity: 'الهوية', contact: 'بيانات الاتصال', location: 'مكان وجودك', health: 'الصحة', exploitation: 'ما تعرضت له (الاستغلال)', 'needs-and-services': 'الاحتياجات والخدمات', 'legal-proceedings': 'الإجراءات القضائية', family: 'الأسرة' },
    kind: { 'law-enforcement': 'جهات إنفاذ القانون', 'child-protection': 'سلطات حماية الطفل', 'social-assistance': 'المساعدة الاجتماعية', coordinator: 'الجهة المنسقة', ngo: 'المنظمات غير الحكومية', 'foreign-partner': 'الشركاء في الخارج' },
  },
  uk: {
    name: 'Українська', dir: 'ltr', locale: 'uk-UA',
    title: 'Розписка про вашу згоду',
    intro: 'Ви погодилися, щоб інформацію про вас було передано так, як описано нижче. Збережіть цю розписку.',
    agreedTo: 'На що ви погодилися', recipients: 'Кому', recipientKinds: 'Організаціям такого виду', purposes: 'З якою метою', categories: 'Яку інформацію',
    validFrom: 'Чинна з', validUntil: 'Чинна до', noEnd: 'доки ви її не відкличете', givenBy: 'Згоду надав(ла)',
    givers: { self: 'ви особисто', guardian: 'ваш опікун', 'legal-representative': 'ваш законний представник' },
    withdrawTitle: 'Як відкликати згоду',
    withdrawText: 'Ви можете відкликати свою згоду будь-коли, не пояснюючи причин. Покажіть або назвіть код нижче будь-якому працівникові з питань згоди або будь-якій неурядовій організації, що бере участь у механізмі перенаправлення, або зверніться до організації, яка її записала. Відкликання зупиняє кожну передачу, яка ще не відбулася.',
    code: 'Код відкликання', reference: 'Номер згоди', recordedAt: 'Записано',
    signed: 'Запис цієї згоди підписано електронним підписом Referral Gateway.',
    purpose: { 'protection-and-assistance': 'захист і допомога', reintegration: 'реінтеграція', 'safe-return': 'безпечне повернення', 'criminal-proceedings': 'кримінальне провадження', compensation: 'компенсація', coordination: 'координація допомоги', statistics: 'статистика' },
    category: { identity: 'особа', contact: 'контактні дані', location: 'де ви перебуваєте', health: 'здоровʼя', exploitation: 'що з вами сталося (експлуатація)', 'needs-and-services': 'потреби та послуги', 'legal-proceedings': 'судові провадження', family: 'сімʼя' },
    kind: { 'law-enforcement': 'правоохоронні органи', 'child-protection': 'органи захисту дітей', 'social-assistance': 'соціальна допомога', coordinator: 'координаційний орган', ngo: 'неурядові організації', 'foreign-partner': 'партнери за кордоном' },
  },
  ru: {
    name: 'Русский', dir: 'ltr', locale: 'ru-RU',
    title: 'Расписка о вашем согласии',
    intro: 'Вы согласились, чтобы сведения о вас были переданы так, как описано ниже. Сохраните эту расписку.',
    agreedTo: 'На что вы согласились', recipients: 'Кому', recipientKinds: 'Организациям вида', purposes: 'С какой целью', categories: 'Какие сведения',
    validFrom: 'Действует с', validUntil: 'Действует до', noEnd: 'пока вы его не отзовёте', givenBy: 'Согласие дал(а)',
    givers: { self: 'вы лично', guardian: 'ваш опекун', 'legal-representative': 'ваш законный представитель' },
    withdrawTitle: 'Как отозвать согласие',
    withdrawText: 'Вы можете отозвать своё согласие в любое время, не объясняя причин. Покажите или назовите код ниже любому сотруднику по вопросам согласия или любой неправительственной организации, участвующей в механизме перенаправления, либо обратитесь в организацию, которая его записала. Отзыв останавливает любую передачу, которая ещё не состоялась.',
    code: 'Код отзыва', reference: 'Номер согласия', recordedAt: 'Записано',
    signed: 'Запись этого согласия подписана электронной подписью Referral Gateway.',
    purpose: { 'protection-and-assistance': 'защита и помощь', reintegration: 'реинтеграция', 'safe-return': 'безопасное возвращение', 'criminal-proceedings': 'уголовное производство', compensation: 'компенсация', coordination: 'координация помощи', statistics: 'статистика' },
    category: { identity: 'личность', contact: 'контактные данные', location: 'где вы находитесь', health: 'здоровье', exploitation: 'что с вами произошло (эксплуатация)', 'needs-and-services': 'потребности и услуги', 'legal-proceedings': 'судебные разбирательства', family: 'семья' },
    kind: { 'law-enforcement': 'правоохранительные органы', 'child-protection': 'органы защиты детей', 'social-assistance': 'социальная помощь', coordinator: 'координирующий орган', ngo: 'неправительственные организации', 'foreign-partner': 'партнёры за рубежом' },
  },
};
