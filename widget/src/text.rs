//! The words of the prompt, per language. Strings are data: one table per language, chosen by
//! the page's language tag; right-to-left languages also mirror the layout and the scale.

use domain::Kind;

/// Question, low anchor and high anchor of one kind.
pub type KindTexts = [&'static str; 3];

pub struct Texts {
    pub csat: KindTexts,
    pub nps: KindTexts,
    pub ces: KindTexts,
    pub stars: KindTexts,
    pub thumbs: KindTexts,
    pub follow_up_negative: &'static str,
    pub follow_up_positive: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub close: &'static str,
    pub thanks: &'static str,
    pub queued: &'static str,
    pub rejected: &'static str,
    pub dialog: &'static str,
    /// Accessible name of a point: `{n}` and `{max}` are filled in.
    pub point: &'static str,
}

pub const EN: Texts = Texts {
    csat: ["How satisfied are you?", "Very unsatisfied", "Very satisfied"],
    nps: ["How likely are you to recommend us to a friend or colleague?", "Not likely", "Very likely"],
    ces: ["It was easy to get what I needed.", "Strongly disagree", "Strongly agree"],
    stars: ["How would you rate your experience?", "Poor", "Excellent"],
    thumbs: ["Was this helpful?", "No", "Yes"],
    follow_up_negative: "What went wrong?",
    follow_up_positive: "Anything we could do better? (optional)",
    send: "Send",
    sending: "Sending…",
    close: "Close",
    thanks: "Thank you for your feedback!",
    queued: "We could not send your answer yet. It is saved on this device and will be sent automatically.",
    rejected: "Sorry, your answer could not be accepted.",
    dialog: "Feedback",
    point: "{n} of {max}",
};

const RU: Texts = Texts {
    csat: ["Насколько вы довольны?", "Совсем не доволен", "Очень доволен"],
    nps: ["Насколько вероятно, что вы порекомендуете нас другу или коллеге?", "Маловероятно", "Очень вероятно"],
    ces: ["Мне было легко получить то, что нужно.", "Совершенно не согласен", "Полностью согласен"],
    stars: ["Как вы оцениваете свой опыт?", "Плохо", "Отлично"],
    thumbs: ["Это было полезно?", "Нет", "Да"],
    follow_up_negative: "Что пошло не так?",
    follow_up_positive: "Что мы могли бы улучшить? (необязательно)",
    send: "Отправить",
    sending: "Отправка…",
    close: "Закрыть",
    thanks: "Спасибо за ваш отзыв!",
    queued: "Не удалось отправить ответ. Он сохранён на этом устройстве и будет отправлен автоматически.",
    rejected: "К сожалению, ваш ответ не может быть принят.",
    dialog: "Отзыв",
    point: "{n} из {max}",
};

const BG: Texts = Texts {
    csat: ["Колко сте доволни?", "Много недоволен", "Много доволен"],
    nps: ["Колко вероятно е да ни препоръчате на приятел или колега?", "Малко вероятно", "Много вероятно"],
    ces: ["Беше лесно да получа това, от което имах нужда.", "Напълно несъгласен", "Напълно съгласен"],
    stars: ["Как бихте оценили преживяването си?", "Лошо", "Отлично"],
    thumbs: ["Беше ли полезно?", "Не", "Да"],
    follow_up_negative: "Какво се обърка?",
    follow_up_positive: "Какво бихме могли да подобрим? (по желание)",
    send: "Изпрати",
    sending: "Изпращане…",
    close: "Затвори",
    thanks: "Благодарим за отзива!",
    queued: "Все още не успяхме да изпратим отговора ви. Той е запазен на това устройство и ще бъде изпратен автоматично.",
    rejected: "За съжаление отговорът ви не може да бъде приет.",
    dialog: "Отзив",
    point: "{n} от {max}",
};

const FA: Texts = Texts {
    csat: ["چقدر راضی هستید؟", "بسیار ناراضی", "بسیار راضی"],
    nps: [
        "چقدر احتمال دارد ما را به یک دوست یا همکار پیشنهاد کنید؟",
        "بعید",
        "بسیار محتمل",
    ],
    ces: [
        "به‌دست آوردن آنچه نیاز داشتم آسان بود.",
        "کاملاً مخالفم",
        "کاملاً موافقم",
    ],
    stars: ["تجربه خود را چگونه ارزیابی می‌کنید؟", "ضعیف", "عالی"],
    thumbs: ["آیا مفید بود؟", "خیر", "بله"],
    follow_up_negative: "چه مشکلی پیش آمد؟",
    follow_up_positive: "چه چیزی را می‌توانستیم بهتر کنیم؟ (اختیاری)",
    send: "ارسال",
    sending: "در حال ارسال…",
    close: "بستن",
    thanks: "از بازخورد شما سپاسگزاریم!",
    queued:
        "هنوز نتوانستیم پاسخ شما را ارسال کنیم. روی همین دستگاه ذخیره شده و خودکار ارسال می‌شود.",
    rejected: "متأسفیم، پاسخ شما پذیرفته نشد.",
    dialog: "بازخورد",
    point: "{n} از {max}",
};

const AR: Texts = Texts {
    csat: ["ما مدى رضاك؟", "غير راضٍ إطلاقًا", "راضٍ جدًا"],
    nps: [
        "ما مدى احتمال أن توصي بنا لصديق أو زميل؟",
        "غير محتمل",
        "محتمل جدًا",
    ],
    ces: [
        "كان من السهل الحصول على ما أحتاجه.",
        "أعارض بشدة",
        "أوافق بشدة",
    ],
    stars: ["كيف تقيّم تجربتك؟", "سيئة", "ممتازة"],
    thumbs: ["هل كان هذا مفيدًا؟", "لا", "نعم"],
    follow_up_negative: "ما الذي حدث بشكل خاطئ؟",
    follow_up_positive: "ما الذي يمكننا تحسينه؟ (اختياري)",
    send: "إرسال",
    sending: "جارٍ الإرسال…",
    close: "إغلاق",
    thanks: "شكرًا لملاحظاتك!",
    queued: "لم نتمكن من إرسال إجابتك بعد. تم حفظها على هذا الجهاز وسيتم إرسالها تلقائيًا.",
    rejected: "عذرًا، لا يمكن قبول إجابتك.",
    dialog: "ملاحظات",
    point: "{n} من {max}",
};

const HE: Texts = Texts {
    csat: ["עד כמה אתם מרוצים?", "לא מרוצה בכלל", "מרוצה מאוד"],
    nps: [
        "מה הסיכוי שתמליצו עלינו לחבר או לעמית?",
        "לא סביר",
        "סביר מאוד",
    ],
    ces: [
        "היה קל להשיג את מה שהייתי צריך.",
        "לא מסכים בכלל",
        "מסכים מאוד",
    ],
    stars: ["איך הייתם מדרגים את החוויה?", "גרועה", "מצוינת"],
    thumbs: ["האם זה עזר?", "לא", "כן"],
    follow_up_negative: "מה השתבש?",
    follow_up_positive: "מה יכולנו לעשות טוב יותר? (רשות)",
    send: "שליחה",
    sending: "שולח…",
    close: "סגירה",
    thanks: "תודה על המשוב!",
    queued: "עדיין לא הצלחנו לשלוח את התשובה. היא נשמרה במכשיר זה ותישלח אוטומטית.",
    rejected: "מצטערים, לא ניתן לקבל את התשובה.",
    dialog: "משוב",
    point: "{n} מתוך {max}",
};

const DE: Texts = Texts {
    csat: ["Wie zufrieden sind Sie?", "Sehr unzufrieden", "Sehr zufrieden"],
    nps: ["Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?", "Unwahrscheinlich", "Sehr wahrscheinlich"],
    ces: ["Es war einfach, das zu bekommen, was ich brauchte.", "Stimme gar nicht zu", "Stimme voll zu"],
    stars: ["Wie bewerten Sie Ihre Erfahrung?", "Schlecht", "Ausgezeichnet"],
    thumbs: ["War das hilfreich?", "Nein", "Ja"],
    follow_up_negative: "Was ist schiefgelaufen?",
    follow_up_positive: "Was könnten wir besser machen? (optional)",
    send: "Senden",
    sending: "Wird gesendet…",
    close: "Schließen",
    thanks: "Vielen Dank für Ihr Feedback!",
    queued: "Ihre Antwort konnte noch nicht gesendet werden. Sie ist auf diesem Gerät gespeichert und wird automatisch gesendet.",
    rejected: "Ihre Antwort konnte leider nicht angenommen werden.",
    dialog: "Feedback",
    point: "{n} von {max}",
};

const FR: Texts = Texts {
    csat: ["Quel est votre niveau de satisfaction ?", "Très insatisfait", "Très satisfait"],
    nps: ["Quelle est la probabilité que vous nous recommandiez à un ami ou un collègue ?", "Peu probable", "Très probable"],
    ces: ["Il a été facile d’obtenir ce dont j’avais besoin.", "Pas du tout d’accord", "Tout à fait d’accord"],
    stars: ["Comment évaluez-vous votre expérience ?", "Mauvaise", "Excellente"],
    thumbs: ["Cela vous a-t-il aidé ?", "Non", "Oui"],
    follow_up_negative: "Qu’est-ce qui n’a pas fonctionné ?",
    follow_up_positive: "Que pourrions-nous améliorer ? (facultatif)",
    send: "Envoyer",
    sending: "Envoi…",
    close: "Fermer",
    thanks: "Merci pour votre avis !",
    queued: "Votre réponse n’a pas encore pu être envoyée. Elle est enregistrée sur cet appareil et sera envoyée automatiquement.",
    rejected: "Désolé, votre réponse n’a pas pu être acceptée.",
    dialog: "Avis",
    point: "{n} sur {max}",
};

const ES: Texts = Texts {
    csat: ["¿Qué tan satisfecho estás?", "Muy insatisfecho", "Muy satisfecho"],
    nps: ["¿Qué probabilidad hay de que nos recomiendes a un amigo o colega?", "Poco probable", "Muy probable"],
    ces: ["Fue fácil conseguir lo que necesitaba.", "Muy en desacuerdo", "Muy de acuerdo"],
    stars: ["¿Cómo valorarías tu experiencia?", "Mala", "Excelente"],
    thumbs: ["¿Te resultó útil?", "No", "Sí"],
    follow_up_negative: "¿Qué salió mal?",
    follow_up_positive: "¿Qué podríamos mejorar? (opcional)",
    send: "Enviar",
    sending: "Enviando…",
    close: "Cerrar",
    thanks: "¡Gracias por tu opinión!",
    queued: "Aún no pudimos enviar tu respuesta. Está guardada en este dispositivo y se enviará automáticamente.",
    rejected: "Lo sentimos, no se pudo aceptar tu respuesta.",
    dialog: "Opinión",
    point: "{n} de {max}",
};

const PT: Texts = Texts {
    csat: ["Qual é o seu nível de satisfação?", "Muito insatisfeito", "Muito satisfeito"],
    nps: ["Qual a probabilidade de nos recomendar a um amigo ou colega?", "Pouco provável", "Muito provável"],
    ces: ["Foi fácil conseguir o que eu precisava.", "Discordo totalmente", "Concordo totalmente"],
    stars: ["Como avalia a sua experiência?", "Má", "Excelente"],
    thumbs: ["Isto foi útil?", "Não", "Sim"],
    follow_up_negative: "O que correu mal?",
    follow_up_positive: "O que poderíamos melhorar? (opcional)",
    send: "Enviar",
    sending: "A enviar…",
    close: "Fechar",
    thanks: "Obrigado pelo seu feedback!",
    queued: "Ainda não foi possível enviar a sua resposta. Ela está guardada neste dispositivo e será enviada automaticamente.",
    rejected: "Lamentamos, a sua resposta não pôde ser aceite.",
    dialog: "Feedback",
    point: "{n} de {max}",
};

const ZH: Texts = Texts {
    csat: ["您的满意度如何？", "非常不满意", "非常满意"],
    nps: ["您有多大可能向朋友或同事推荐我们？", "不太可能", "非常可能"],
    ces: ["获得我需要的东西很容易。", "非常不同意", "非常同意"],
    stars: ["您如何评价这次体验？", "差", "极好"],
    thumbs: ["这对您有帮助吗？", "否", "是"],
    follow_up_negative: "哪里出了问题？",
    follow_up_positive: "我们还能改进什么？（可选）",
    send: "发送",
    sending: "正在发送…",
    close: "关闭",
    thanks: "感谢您的反馈！",
    queued: "暂时无法发送您的回答。它已保存在此设备上，稍后会自动发送。",
    rejected: "抱歉，无法接受您的回答。",
    dialog: "反馈",
    point: "{n} / {max}",
};

const JA: Texts = Texts {
    csat: ["どの程度満足していますか？", "とても不満", "とても満足"],
    nps: [
        "友人や同僚に当社を勧める可能性はどのくらいですか？",
        "可能性は低い",
        "可能性は高い",
    ],
    ces: [
        "必要なものを簡単に得られた。",
        "まったくそう思わない",
        "とてもそう思う",
    ],
    stars: ["今回の体験を評価してください", "悪い", "とても良い"],
    thumbs: ["役に立ちましたか？", "いいえ", "はい"],
    follow_up_negative: "何が問題でしたか？",
    follow_up_positive: "改善できる点はありますか？（任意）",
    send: "送信",
    sending: "送信中…",
    close: "閉じる",
    thanks: "ご意見ありがとうございます！",
    queued: "回答をまだ送信できませんでした。この端末に保存され、自動的に送信されます。",
    rejected: "申し訳ありません。回答を受け付けられませんでした。",
    dialog: "フィードバック",
    point: "{max} 段階中 {n}",
};

/// Languages with their own table, by primary subtag.
pub const LANGUAGES: [(&str, &Texts); 12] = [
    ("en", &EN),
    ("ru", &RU),
    ("bg", &BG),
    ("fa", &FA),
    ("ar", &AR),
    ("he", &HE),
    ("de", &DE),
    ("fr", &FR),
    ("es", &ES),
    ("pt", &PT),
    ("zh", &ZH),
    ("ja", &JA),
];

fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The table for a language tag (`pt-BR` → Portuguese); English when there is none.
pub fn for_lang(tag: &str) -> &'static Texts {
    let p = primary(tag);
    LANGUAGES
        .iter()
        .find(|(code, _)| *code == p)
        .map(|(_, t)| *t)
        .unwrap_or(&EN)
}

/// Right-to-left scripts: the layout and the scale are mirrored.
pub fn is_rtl(tag: &str) -> bool {
    matches!(
        primary(tag).as_str(),
        "ar" | "fa" | "he" | "ur" | "ps" | "yi"
    )
}

impl Texts {
    pub fn kind(&self, kind: Kind) -> KindTexts {
        match kind {
            Kind::Csat => self.csat,
            Kind::Nps => self.nps,
            Kind::Ces => self.ces,
            Kind::Stars => self.stars,
            Kind::Thumbs => self.thumbs,
        }
    }

    /// Accessible name of one scale point.
    pub fn point_label(&self, kind: Kind, score: u8) -> String {
        match kind {
            Kind::Thumbs => self.thumbs[if score == 1 { 2 } else { 1 }].to_string(),
            _ => self
                .point
                .replace("{n}", &score.to_string())
                .replace("{max}", &kind.scale().max.to_string()),
        }
    }
}

/// What a scale button shows.
pub fn point_face(kind: Kind, score: u8) -> String {
    match (kind, score) {
        (Kind::Thumbs, 1) => "👍".into(),
        (Kind::Thumbs, _) => "👎".into(),
        (Kind::Stars, _) => "★".into(),
        _ => score.to_string(),
    }
}
