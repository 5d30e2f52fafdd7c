"""The demo centres' descriptions, and centres and member cities in the other languages."""

#: English descriptions of the demo centres, by slug.
CENTRE_DESCRIPTIONS = {
    "seoul": "The headquarters of the Metropolis International Training Institute, hosted by the Seoul Human Resources Development Centre: courses, workshops and study visits on the urban policies Seoul shares with member cities.",
    "cairo": "The regional centre for Africa and the Arab region, hosted by the Cairo Governorate.",
    "mashhad": "The regional centre for the Middle East and West Asia, hosted by Mashhad Municipality.",
    "mexico-city": "The regional centre for Latin America and the Caribbean, hosted by the Government of Mexico City.",
    "paris-ile-de-france": "The regional centre for Europe, hosted by the Île-de-France Region.",
}

#: (name, description) of the demo centres by slug and language.
CENTRE_TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "seoul": {
        "fr": (
            "Siège du MITI à Séoul",
            "Le siège de l'Institut international de formation de Metropolis, accueilli par le Centre de développement des ressources humaines de Séoul : cours, ateliers et visites d'étude sur les politiques urbaines que Séoul partage avec les villes membres.",
        ),
        "es": (
            "Sede del MITI en Seúl",
            "La sede del Instituto Internacional de Formación de Metropolis, acogida por el Centro de Desarrollo de Recursos Humanos de Seúl: cursos, talleres y visitas de estudio sobre las políticas urbanas que Seúl comparte con las ciudades miembro.",
        ),
        "ar": (
            "مقرّ معهد MITI في سول",
            "المقرّ الرئيسي لمعهد متروبوليس الدولي للتدريب، يستضيفه مركز سول لتنمية الموارد البشرية: دورات وورش عمل وزيارات دراسية حول السياسات الحضرية التي تتشاركها سول مع المدن الأعضاء.",
        ),
        "fa": (
            "دفتر مرکزی MITI در سئول",
            "دفتر مرکزی مؤسسهٔ بین‌المللی آموزش متروپلیس، به میزبانی مرکز توسعهٔ منابع انسانی سئول: دوره‌ها، کارگاه‌ها و بازدیدهای علمی دربارهٔ سیاست‌های شهری که سئول با شهرهای عضو به اشتراک می‌گذارد.",
        ),
        "ko": (
            "MITI 서울 본부",
            "서울시인재개발원이 운영하는 메트로폴리스 국제교육원 본부로, 서울이 회원 도시와 공유하는 도시 정책에 관한 교육과정, 워크숍, 연수를 제공합니다.",
        ),
    },
    "cairo": {
        "fr": (
            "Centre régional du MITI au Caire",
            "Le centre régional pour l'Afrique et la région arabe, accueilli par le gouvernorat du Caire.",
        ),
        "es": (
            "Centro Regional del MITI en El Cairo",
            "El centro regional para África y la región árabe, acogido por la Gobernación de El Cairo.",
        ),
        "ar": (
            "مركز MITI الإقليمي في القاهرة",
            "المركز الإقليمي لأفريقيا والمنطقة العربية، تستضيفه محافظة القاهرة.",
        ),
        "fa": (
            "مرکز منطقه‌ای MITI در قاهره",
            "مرکز منطقه‌ای آفریقا و جهان عرب، به میزبانی استانداری قاهره.",
        ),
        "ko": ("MITI 카이로 지역센터", "카이로 주정부가 운영하는 아프리카·아랍 지역 센터입니다."),
    },
    "mashhad": {
        "fr": (
            "Centre régional du MITI à Mashhad",
            "Le centre régional pour le Moyen-Orient et l'Asie de l'Ouest, accueilli par la municipalité de Mashhad.",
        ),
        "es": (
            "Centro Regional del MITI en Mashhad",
            "El centro regional para Oriente Medio y Asia Occidental, acogido por el Ayuntamiento de Mashhad.",
        ),
        "ar": (
            "مركز MITI الإقليمي في مشهد",
            "المركز الإقليمي للشرق الأوسط وغرب آسيا، تستضيفه بلدية مشهد.",
        ),
        "fa": (
            "مرکز منطقه‌ای MITI در مشهد",
            "مرکز منطقه‌ای خاورمیانه و غرب آسیا، به میزبانی شهرداری مشهد.",
        ),
        "ko": ("MITI 마슈하드 지역센터", "마슈하드시가 운영하는 중동·서아시아 지역 센터입니다."),
    },
    "mexico-city": {
        "fr": (
            "Centre régional du MITI à Mexico",
            "Le centre régional pour l'Amérique latine et les Caraïbes, accueilli par le gouvernement de la ville de Mexico.",
        ),
        "es": (
            "Centro Regional del MITI en Ciudad de México",
            "El centro regional para América Latina y el Caribe, acogido por el Gobierno de la Ciudad de México.",
        ),
        "ar": (
            "مركز MITI الإقليمي في مدينة مكسيكو",
            "المركز الإقليمي لأمريكا اللاتينية والكاريبي، تستضيفه حكومة مدينة مكسيكو.",
        ),
        "fa": (
            "مرکز منطقه‌ای MITI در مکزیکوسیتی",
            "مرکز منطقه‌ای آمریکای لاتین و کارائیب، به میزبانی دولت شهر مکزیکوسیتی.",
        ),
        "ko": (
            "MITI 멕시코시티 지역센터",
            "멕시코시티 정부가 운영하는 중남미·카리브 지역 센터입니다.",
        ),
    },
    "paris-ile-de-france": {
        "fr": (
            "Centre régional du MITI Paris Île-de-France",
            "Le centre régional pour l'Europe, accueilli par la Région Île-de-France.",
        ),
        "es": (
            "Centro Regional del MITI París Île-de-France",
            "El centro regional para Europa, acogido por la Región de Île-de-France.",
        ),
        "ar": (
            "مركز MITI الإقليمي في باريس إيل دو فرانس",
            "المركز الإقليمي لأوروبا، تستضيفه منطقة إيل دو فرانس.",
        ),
        "fa": (
            "مرکز منطقه‌ای MITI در پاریس ایل‌دوفرانس",
            "مرکز منطقه‌ای اروپا، به میزبانی منطقهٔ ایل‌دوفرانس.",
        ),
        "ko": (
            "MITI 파리 일드프랑스 지역센터",
            "일드프랑스 광역주가 운영하는 유럽 지역 센터입니다.",
        ),
    },
}

_LANGUAGES = ("fr", "es", "ar", "fa", "ko")

#: Member city names: English, then French, Spanish, Arabic, Persian, Korean.
_CITY_NAMES = (
    ("Seoul", "Séoul", "Seúl", "سول", "سئول", "서울"),
    ("Busan", "Busan", "Busan", "بوسان", "بوسان", "부산"),
    ("Guangzhou", "Canton", "Cantón", "قوانغتشو", "گوانگژو", "광저우"),
    ("Wuhan", "Wuhan", "Wuhan", "ووهان", "ووهان", "우한"),
    ("Surabaya", "Surabaya", "Surabaya", "سورابايا", "سورابایا", "수라바야"),
    ("Manila", "Manille", "Manila", "مانيلا", "مانیل", "마닐라"),
    ("Bangkok", "Bangkok", "Bangkok", "بانكوك", "بانکوک", "방콕"),
    ("Kuala Lumpur", "Kuala Lumpur", "Kuala Lumpur", "كوالالمبور", "کوالالامپور", "쿠알라룸푸르"),
    ("Hanoi", "Hanoï", "Hanói", "هانوي", "هانوی", "하노이"),
    ("Bengaluru", "Bangalore", "Bangalore", "بنغالورو", "بنگلور", "벵갈루루"),
    ("Cairo", "Le Caire", "El Cairo", "القاهرة", "قاهره", "카이로"),
    ("Giza", "Gizeh", "Guiza", "الجيزة", "جیزه", "기자"),
    ("Dakar", "Dakar", "Dakar", "داكار", "داکار", "다카르"),
    ("Lagos", "Lagos", "Lagos", "لاغوس", "لاگوس", "라고스"),
    ("Mashhad", "Mashhad", "Mashhad", "مشهد", "مشهد", "마슈하드"),
    ("Tehran", "Téhéran", "Teherán", "طهران", "تهران", "테헤란"),
    ("Shiraz", "Chiraz", "Shiraz", "شيراز", "شیراز", "시라즈"),
    ("Beirut", "Beyrouth", "Beirut", "بيروت", "بیروت", "베이루트"),
    ("Mexico City", "Mexico", "Ciudad de México", "مدينة مكسيكو", "مکزیکوسیتی", "멕시코시티"),
    ("Bogotá", "Bogota", "Bogotá", "بوغوتا", "بوگوتا", "보고타"),
    ("São Paulo", "São Paulo", "São Paulo", "ساو باولو", "سائوپائولو", "상파울루"),
    (
        "Paris Île-de-France",
        "Paris Île-de-France",
        "París Île-de-France",
        "باريس إيل دو فرانس",
        "پاریس ایل‌دوفرانس",
        "파리 일드프랑스",
    ),
    ("Barcelona", "Barcelone", "Barcelona", "برشلونة", "بارسلونا", "바르셀로나"),
    ("Berlin", "Berlin", "Berlín", "برلين", "برلین", "베를린"),
    ("Warsaw", "Varsovie", "Varsovia", "وارسو", "ورشو", "바르샤바"),
    ("Dublin", "Dublin", "Dublín", "دبلن", "دوبلین", "더블린"),
    ("Montréal", "Montréal", "Montreal", "مونتريال", "مونترال", "몬트리올"),
    (
        "Metropolis Secretariat",
        "Secrétariat de Metropolis",
        "Secretaría de Metropolis",
        "أمانة متروبوليس",
        "دبیرخانهٔ متروپلیس",
        "메트로폴리스 사무국",
    ),
)

#: Member city names by English name and language.
MEMBER_CITY_TRANSLATIONS: dict[str, dict[str, str]] = {
    names[0]: dict(zip(_LANGUAGES, names[1:], strict=True)) for names in _CITY_NAMES
}
