//! Stop words of every widget language, as sorted slices (binary search; a test checks the
//! order). Lists are compact on purpose: they hold function words only, and words that are
//! content words elsewhere (French `car`, `plus`; German `fast`) are left out because all
//! lists apply to every comment. Persian uses Persian yeh/kaf (ی ک); Arabic is undiacritised;
//! Russian uses е for ё. ZH and JA: one-character entries split a CJK run (see `tokenize`),
//! two-character entries drop that bigram. Generated sorted by byte order (`str::cmp`).

/// English.
#[rustfmt::skip]
pub const EN: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do",
    "does", "doesn't", "doing", "don't", "down", "during", "each", "even", "few", "for", "from",
    "further", "get", "got", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he",
    "he's", "her", "here", "here's", "hers", "herself", "him", "himself", "his", "how", "i", "i'd",
    "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself", "just",
    "let's", "me", "more", "most", "much", "my", "myself", "no", "nor", "not", "now", "of", "off",
    "ok", "okay", "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out",
    "over", "own", "really", "same", "she", "should", "shouldn't", "so", "some", "still", "such",
    "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then", "there",
    "there's", "these", "they", "they'd", "they'll", "they're", "they've", "this", "those",
    "though", "through", "to", "too", "under", "until", "up", "us", "very", "was", "wasn't", "we",
    "we'd", "we'll", "we're", "we've", "were", "weren't", "what", "what's", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "won't", "would", "wouldn't", "yes",
    "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself", "yourselves",
];

/// German.
#[rustfmt::skip]
pub const DE: &[&str] = &[
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "ander",
    "andere", "anderem", "anderen", "anderer", "anderes", "auch", "auf", "aus", "bei", "bin", "bis",
    "bist", "da", "damit", "dann", "das", "dass", "dein", "deine", "dem", "den", "denn", "der",
    "des", "dich", "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "dir", "doch",
    "dort", "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "etwas",
    "euch", "euer", "eure", "für", "gegen", "gewesen", "hab", "habe", "haben", "hat", "hatte",
    "hatten", "hier", "hin", "ich", "ihm", "ihn", "ihnen", "ihr", "ihre", "im", "in", "ist", "ja",
    "jede", "jedem", "jeden", "jeder", "jedes", "jetzt", "kann", "kein", "keine", "keinem",
    "keinen", "keiner", "können", "könnte", "mein", "meine", "mich", "mir", "mit", "muss", "musste",
    "nach", "nicht", "nichts", "noch", "nun", "nur", "ob", "oder", "ohne", "schon", "sehr", "sein",
    "seine", "sich", "sie", "sind", "so", "solche", "soll", "sollte", "sondern", "um", "und", "uns",
    "unser", "unsere", "unter", "vom", "von", "vor", "war", "waren", "warum", "was", "weil",
    "welche", "wenn", "wer", "werde", "werden", "wie", "wieder", "wir", "wird", "wo", "wurde",
    "wurden", "zu", "zum", "zur", "zwar", "über",
];

/// French.
#[rustfmt::skip]
pub const FR: &[&str] = &[
    "a", "ai", "aie", "aient", "ainsi", "alors", "as", "au", "aucun", "aussi", "autre", "aux",
    "avais", "avait", "avec", "avez", "avoir", "avons", "ce", "ceci", "cela", "celle", "celui",
    "ces", "cet", "cette", "chaque", "chez", "comme", "comment", "d", "dans", "de", "des", "donc",
    "dont", "du", "déjà", "elle", "elles", "en", "encore", "es", "est", "et", "eu", "eux", "faire",
    "fait", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma",
    "mais", "me", "mes", "moi", "mon", "même", "n", "ne", "ni", "nos", "notre", "nous", "on", "ont",
    "ou", "où", "par", "pas", "peu", "peut", "pour", "qu", "quand", "que", "quel", "quelle",
    "quelles", "quels", "qui", "quoi", "s", "sa", "sans", "se", "sera", "ses", "si", "sinon", "son",
    "sont", "sous", "suis", "sur", "ta", "te", "tes", "toi", "ton", "tous", "tout", "toute",
    "toutes", "trop", "très", "tu", "un", "une", "vos", "votre", "vous", "y", "étaient", "étais",
    "était", "été", "êtes", "être",
];

/// Spanish.
#[rustfmt::skip]
pub const ES: &[&str] = &[
    "a", "al", "algo", "algunas", "algunos", "ante", "antes", "aquí", "así", "aunque", "cada",
    "como", "con", "contra", "cual", "cuando", "de", "del", "desde", "donde", "dos", "durante", "e",
    "el", "ella", "ellas", "ellos", "en", "entre", "era", "eran", "es", "esa", "esas", "ese", "eso",
    "esos", "esta", "estaba", "estaban", "estado", "estamos", "estar", "este", "esto", "estos",
    "estoy", "están", "fue", "fueron", "fui", "ha", "había", "habían", "han", "has", "hasta", "hay",
    "he", "la", "las", "le", "les", "lo", "los", "me", "mi", "mis", "mucho", "muy", "más", "mí",
    "nada", "ni", "no", "nos", "nosotros", "o", "os", "otra", "otro", "para", "pero", "poco", "por",
    "porque", "que", "quien", "qué", "se", "sea", "ser", "si", "sido", "siempre", "sin", "sobre",
    "solo", "somos", "son", "soy", "su", "sus", "también", "tan", "tanto", "te", "tengo", "tiene",
    "tienen", "todo", "todos", "tu", "tus", "tú", "un", "una", "uno", "unos", "usted", "ustedes",
    "y", "ya", "yo", "él",
];

/// Portuguese.
#[rustfmt::skip]
pub const PT: &[&str] = &[
    "a", "ao", "aos", "aquela", "aquele", "aqueles", "aquilo", "as", "até", "com", "como", "da",
    "das", "de", "dela", "dele", "deles", "depois", "do", "dos", "e", "ela", "elas", "ele", "eles",
    "em", "entre", "era", "eram", "essa", "esse", "esta", "estava", "estavam", "este", "estou",
    "eu", "foi", "fomos", "for", "foram", "há", "isso", "isto", "já", "la", "lhe", "lhes", "mais",
    "mas", "me", "mesmo", "meu", "meus", "minha", "minhas", "muita", "muito", "na", "nas", "nem",
    "no", "nos", "num", "numa", "não", "nós", "o", "os", "ou", "para", "pela", "pelas", "pelo",
    "pelos", "por", "porque", "quando", "que", "quem", "se", "sem", "ser", "seu", "seus", "sua",
    "suas", "são", "também", "te", "tem", "tenho", "ter", "teu", "tinha", "tu", "tua", "um", "uma",
    "umas", "uns", "vai", "você", "vocês", "à", "às", "é",
];

/// Russian.
#[rustfmt::skip]
pub const RU: &[&str] = &[
    "а", "без", "более", "бы", "был", "была", "были", "было", "быть", "в", "вам", "вас", "вдруг",
    "весь", "во", "вообще", "вот", "все", "всего", "всех", "вы", "где", "да", "даже", "для", "до",
    "его", "ее", "если", "есть", "еще", "же", "за", "здесь", "и", "из", "или", "им", "их", "к",
    "как", "какой", "когда", "который", "кто", "ли", "лишь", "меня", "мне", "много", "может", "мой",
    "мою", "моя", "мы", "на", "над", "нам", "нас", "не", "него", "нее", "ней", "нет", "ни",
    "нибудь", "ним", "них", "но", "ну", "о", "об", "один", "он", "она", "они", "оно", "от", "очень",
    "по", "под", "после", "потому", "при", "про", "просто", "с", "сам", "свой", "себя", "так",
    "также", "там", "тем", "то", "тогда", "того", "тоже", "только", "том", "тот", "ту", "тут", "у",
    "уж", "уже", "хотя", "чего", "чем", "через", "что", "чтоб", "чтобы", "эта", "эти", "это",
    "этого", "этой", "этот", "я",
];

/// Bulgarian.
#[rustfmt::skip]
pub const BG: &[&str] = &[
    "а", "аз", "ако", "ала", "бе", "без", "беше", "би", "бил", "била", "били", "било", "бъдат",
    "бъде", "бях", "бяха", "в", "вас", "ви", "все", "всеки", "всички", "във", "въпреки", "го", "да",
    "дали", "до", "докато", "е", "един", "една", "едно", "ето", "за", "затова", "и", "из", "или",
    "им", "как", "какво", "като", "когато", "които", "кой", "който", "коя", "къде", "ли", "ме",
    "между", "мен", "ми", "мисля", "много", "може", "му", "на", "над", "нас", "не", "него", "нещо",
    "нея", "ни", "нищо", "но", "някой", "няма", "о", "обаче", "от", "отново", "пак", "по", "под",
    "поради", "после", "пред", "при", "са", "само", "се", "сега", "си", "след", "сме", "сте", "съм",
    "също", "та", "тази", "така", "те", "тези", "то", "това", "този", "той", "тук", "тя", "ще",
    "що",
];

/// Arabic.
#[rustfmt::skip]
pub const AR: &[&str] = &[
    "أن", "أنا", "أنت", "أنه", "أو", "أي", "أيضا", "إلا", "إلى", "إن", "إنه", "ا", "الا", "التي",
    "الذي", "الذين", "اللي", "الى", "ان", "انا", "انه", "او", "اي", "ايضا", "بس", "بعد", "بل", "به",
    "بها", "بين", "تلك", "ثم", "جدا", "حتى", "حيث", "ذلك", "على", "عليه", "عن", "عند", "عندما",
    "غير", "فقط", "في", "فيه", "فيها", "قبل", "قد", "كان", "كانت", "كانوا", "كل", "كما", "كنت",
    "كيف", "لأن", "لا", "لان", "لقد", "لكن", "لم", "لماذا", "لن", "له", "لها", "لو", "ما", "ماذا",
    "مثل", "مع", "من", "منذ", "منه", "نحن", "هؤلاء", "هذا", "هذه", "هل", "هم", "هنا", "هناك", "هو",
    "هي", "و", "وأن", "وقد", "ولا", "وما", "ومن", "يا", "يعني", "يكون",
];

/// Persian.
#[rustfmt::skip]
pub const FA: &[&str] = &[
    "آن", "آنها", "آنچه", "از", "است", "اش", "ام", "اما", "اند", "او", "اون", "اگر", "ای", "اید",
    "ایشان", "ایم", "این", "اینکه", "با", "باید", "بر", "برای", "بسیار", "بعد", "به", "بود", "بودم",
    "بودن", "بوده", "بودیم", "بی", "تا", "تو", "حتی", "خود", "خیلی", "در", "دیگر", "را", "روی",
    "زیرا", "شد", "شده", "شما", "شود", "فقط", "ما", "مثل", "من", "می", "نه", "نیز", "نیست", "هر",
    "هست", "هستم", "هستند", "هم", "همان", "همه", "همین", "هیچ", "و", "وقتی", "ولی", "وی", "پس",
    "چرا", "چند", "چه", "چون", "چیزی", "کجا", "کرد", "کرده", "کن", "کند", "کنم", "کنید", "که",
    "گفت", "یا", "یعنی", "یک",
];

/// Hebrew.
#[rustfmt::skip]
pub const HE: &[&str] = &[
    "אבל", "או", "אולי", "אותה", "אותו", "אותי", "אז", "אחר", "אחרי", "איך", "אין", "אם", "אנחנו",
    "אני", "אפילו", "אצל", "את", "אתה", "אתם", "בה", "בו", "בין", "בלי", "גם", "הוא", "הזה", "היא",
    "היה", "היו", "הייתי", "היתה", "הם", "הן", "הנה", "הרבה", "זאת", "זה", "זו", "יותר", "כאשר",
    "כבר", "כדי", "כי", "כך", "כל", "כמו", "כן", "לא", "לה", "להם", "לו", "לי", "לך", "ללא", "למה",
    "לפני", "מאד", "מאוד", "מה", "מי", "מן", "עד", "עוד", "על", "עם", "רק", "שהוא", "של", "שלא",
    "שלו", "שלי", "שלנו", "שם",
];

/// Chinese.
#[rustfmt::skip]
pub const ZH: &[&str] = &[
    "一个", "不是", "个", "也", "了", "什么", "他", "他们", "们", "但是", "你", "你们", "可以", "吗", "吧", "呀", "呢", "和",
    "啊", "因为", "在", "她", "她们", "如果", "它", "它们", "就", "就是", "已经", "很", "怎么", "我", "我们", "所以", "是",
    "没有", "然后", "的", "真的", "而且", "自己", "还是", "还有", "这", "这个", "这些", "这样", "那", "那个", "那么", "那些",
    "都", "非常",
];

/// Japanese.
#[rustfmt::skip]
pub const JA: &[&str] = &[
    "あの", "ある", "あれ", "いた", "いる", "か", "から", "が", "けど", "ここ", "こと", "この", "これ", "した", "して", "せん",
    "そこ", "その", "それ", "たい", "った", "って", "てい", "で", "でし", "です", "と", "ない", "など", "に", "ね", "の", "ので",
    "のに", "は", "へ", "ます", "ませ", "まで", "も", "や", "よ", "を",
];

/// Every list: all apply to every comment, so mixed-language text is handled.
pub const ALL: [&[&str]; 12] = [EN, DE, FR, ES, PT, RU, BG, AR, FA, HE, ZH, JA];
