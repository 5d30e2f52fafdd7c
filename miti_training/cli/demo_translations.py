"""The flagship demo programmes in the other interface languages: the Peer Review Process
workshop and the Sharing Cities opening forum (texts, venue and session titles)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ProgrammeTexts:
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    venue: str
    #: The titles of the programme's sessions, in the order of demo_data's SessionSpecs.
    sessions: tuple[str, ...]


_SHRDC = {
    "fr": "Centre de développement des ressources humaines de Séoul (SHRDC), Seocho-gu, Séoul",
    "es": "Centro de Desarrollo de Recursos Humanos de Seúl (SHRDC), Seocho-gu, Seúl",
    "ar": "مركز سول لتنمية الموارد البشرية (SHRDC)، سوتشو-غو، سول",
    "fa": "مرکز توسعهٔ منابع انسانی سئول (SHRDC)، سئوچو-گو، سئول",
    "ko": "서울시인재개발원(SHRDC), 서울 서초구",
}

PEER_REVIEW = {
    "fr": ProgrammeTexts(
        title="Atelier sur le processus d'évaluation par les pairs",
        summary="Découvrez le processus d'évaluation par les pairs, la méthode de l'Initiative Metropolis sur la gouvernance urbaine intégrée pilotée par Berlin, et mettez-la en pratique sur un cas séoulien.",
        paragraphs=(
            "Lors d'une évaluation par les pairs, une ville hôte ouvre l'une de ses politiques à une petite équipe d'agents venus d'autres villes. Ceux-ci l'étudient, rencontrent les personnes qui la mettent en œuvre et formulent un retour franc et structuré. L'Initiative Metropolis sur la gouvernance urbaine intégrée, pilotée par Berlin, a conçu le processus d'évaluation par les pairs pour que les villes apprennent les unes des autres de manière systématique.",
            "En deux jours, vous apprenez la méthode pas à pas : choisir la politique à évaluer, préparer le rapport de contexte, mener les entretiens et les visites de terrain, puis rédiger des recommandations que la ville hôte peut mettre en œuvre. Le groupe s'exerce sur un cas réel de Séoul.",
            "L'atelier s'adresse aux agents qui coordonnent des politiques transversales ou la coopération internationale. Les villes membres proposent leurs agents par l'intermédiaire de leurs points focaux ; le centre sélectionne ensuite un groupe équilibré.",
        ),
        venue=_SHRDC["fr"],
        sessions=(
            "Jour 1 : le processus d'évaluation par les pairs, ses étapes et ses rôles",
            "Jour 2 : évaluation pratique d'une politique de Séoul",
        ),
    ),
    "es": ProgrammeTexts(
        title="Taller sobre el proceso de revisión por pares",
        summary="Aprenda el proceso de revisión por pares, el método de la Iniciativa de Metropolis sobre Gobernanza Urbana Integrada liderada por Berlín, y póngalo en práctica con un caso de Seúl.",
        paragraphs=(
            "En una revisión por pares, una ciudad anfitriona abre una de sus políticas a un pequeño equipo de funcionarios de otras ciudades. Estos la estudian, se reúnen con las personas que la llevan a cabo y ofrecen comentarios francos y estructurados. La Iniciativa de Metropolis sobre Gobernanza Urbana Integrada, liderada por Berlín, desarrolló el proceso de revisión por pares para que las ciudades aprendan unas de otras de forma sistemática.",
            "En dos días aprenderá el método paso a paso: elegir la política que se revisará, preparar el informe de antecedentes, realizar entrevistas y visitas de campo y redactar recomendaciones que la ciudad anfitriona pueda poner en práctica. El grupo practica con un caso real de Seúl.",
            "El taller está dirigido a funcionarios que coordinan políticas transversales o la cooperación internacional. Las ciudades miembro nominan a sus funcionarios a través de sus puntos focales; después, el centro selecciona un grupo equilibrado.",
        ),
        venue=_SHRDC["es"],
        sessions=(
            "Día 1: El proceso de revisión por pares, sus etapas y funciones",
            "Día 2: Revisión práctica de una política de Seúl",
        ),
    ),
    "ar": ProgrammeTexts(
        title="ورشة عمل حول عملية مراجعة الأقران",
        summary="تعرّف على عملية مراجعة الأقران، وهي منهجية مبادرة متروبوليس للحوكمة الحضرية المتكاملة التي تقودها برلين، وطبّقها على حالة من سول.",
        paragraphs=(
            "في مراجعة الأقران، تفتح مدينة مضيفة إحدى سياساتها أمام فريق صغير من المسؤولين القادمين من مدن أخرى. يدرس هؤلاء السياسة، ويلتقون بالقائمين على تنفيذها، ويقدّمون ملاحظات صريحة ومنظّمة. وقد طوّرت مبادرة متروبوليس للحوكمة الحضرية المتكاملة، بقيادة برلين، عملية مراجعة الأقران لكي تتعلّم المدن بعضها من بعض بصورة منهجية.",
            "على مدى يومين، تتعلّم المنهجية خطوة بخطوة: اختيار السياسة المراد مراجعتها، وإعداد التقرير التمهيدي، وإجراء المقابلات والزيارات الميدانية، وصياغة توصيات يمكن للمدينة المضيفة تنفيذها. ويتدرّب المشاركون على حالة حقيقية من سول.",
            "ورشة العمل موجّهة إلى المسؤولين الذين ينسّقون سياسات مشتركة بين الإدارات أو التعاون الدولي. ترشّح المدن الأعضاء موظفيها عبر منسّقيها، ثم يختار المركز مجموعة متوازنة.",
        ),
        venue=_SHRDC["ar"],
        sessions=(
            "اليوم الأول: عملية مراجعة الأقران، مراحلها والأدوار فيها",
            "اليوم الثاني: مراجعة تطبيقية لإحدى سياسات سول",
        ),
    ),
    "fa": ProgrammeTexts(
        title="کارگاه فرایند داوری همتا",
        summary="با فرایند داوری همتا، روش ابتکار متروپلیس برای حکمرانی یکپارچهٔ شهری به رهبری برلین، آشنا شوید و آن را روی نمونه‌ای از سئول تمرین کنید.",
        paragraphs=(
            "در داوری همتا، یک شهر میزبان یکی از سیاست‌های خود را در اختیار گروه کوچکی از کارشناسان شهرهای دیگر می‌گذارد. آنان سیاست را بررسی می‌کنند، با مجریان آن دیدار می‌کنند و بازخوردی صریح و ساختارمند می‌دهند. ابتکار متروپلیس برای حکمرانی یکپارچهٔ شهری، به رهبری برلین، فرایند داوری همتا را طراحی کرده است تا شهرها به‌طور نظام‌مند از یکدیگر بیاموزند.",
            "در دو روز، روش را گام‌به‌گام فرا می‌گیرید: انتخاب سیاست برای داوری، تهیهٔ گزارش زمینه‌ای، انجام مصاحبه‌ها و بازدیدهای میدانی، و نگارش توصیه‌هایی که شهر میزبان بتواند به کار بندد. گروه روی یک نمونهٔ واقعی از سئول تمرین می‌کند.",
            "این کارگاه برای کارشناسانی است که سیاست‌های میان‌بخشی یا همکاری‌های بین‌المللی را هماهنگ می‌کنند. شهرهای عضو کارمندان خود را از طریق رابط‌هایشان معرفی می‌کنند و سپس مرکز گروهی متوازن انتخاب می‌کند.",
        ),
        venue=_SHRDC["fa"],
        sessions=(
            "روز نخست: فرایند داوری همتا، مراحل و نقش‌ها",
            "روز دوم: داوری تمرینی یکی از سیاست‌های سئول",
        ),
    ),
    "ko": ProgrammeTexts(
        title="동료 검토 프로세스 워크숍",
        summary="베를린이 주도하는 메트로폴리스 통합 도시 거버넌스 이니셔티브의 방법론인 동료 검토 프로세스를 배우고, 서울 사례에 직접 적용해 봅니다.",
        paragraphs=(
            "동료 검토에서는 주최 도시가 자신의 정책 하나를 다른 도시 공무원들로 구성된 소규모 팀에 공개합니다. 검토단은 정책을 분석하고, 정책을 운영하는 담당자들을 만나며, 솔직하고 체계적인 피드백을 제공합니다. 베를린이 주도하는 메트로폴리스 통합 도시 거버넌스 이니셔티브는 도시들이 체계적으로 서로 배울 수 있도록 동료 검토 프로세스를 개발했습니다.",
            "이틀 동안 검토할 정책 선정, 배경 보고서 작성, 인터뷰와 현장 방문 진행, 주최 도시가 실행할 수 있는 권고안 작성까지 방법론을 단계별로 익힙니다. 참가자들은 서울의 실제 사례로 실습합니다.",
            "이 워크숍은 부서 간 협력 정책이나 국제 협력을 조정하는 공무원을 대상으로 합니다. 회원 도시가 담당자를 통해 공무원을 추천하면 센터가 균형 잡힌 그룹을 선발합니다.",
        ),
        venue=_SHRDC["ko"],
        sessions=(
            "1일 차: 동료 검토 프로세스의 단계와 역할",
            "2일 차: 서울 정책 실습 검토",
        ),
    ),
}

SHARING_CITIES = {
    "fr": ProgrammeTexts(
        title="Forum inaugural du MITI : Villes du partage",
        summary="Deux journées à Séoul pour inaugurer le siège de l'Institut international de formation de Metropolis, avec les centres régionaux du Caire, de Mashhad, de Mexico et de Paris Île-de-France.",
        paragraphs=(
            "Sous le thème « Villes du partage », ce forum a officiellement ouvert le siège du MITI à Séoul. Le maire de Séoul et le secrétaire général de Metropolis ont inauguré l'institut avec les représentants des centres régionaux du Caire, de Mashhad, de Mexico et de Paris Île-de-France.",
            "Le premier jour, le gouvernement métropolitain de Séoul a signé un protocole d'accord bilatéral avec chaque centre régional, sous l'égide du Secrétariat de Metropolis à Barcelone. Les parties prenantes du MITI se sont ensuite réunies en atelier, selon le processus d'évaluation par les pairs de l'Initiative Metropolis sur la gouvernance urbaine intégrée pilotée par Berlin, pour concevoir les premiers programmes de formation internationaux avec l'apport des centres régionaux.",
            "La deuxième journée était ouverte au public : dévoilement de l'enseigne du MITI, puis forum « Villes du partage » avec des représentants des villes membres de Metropolis et d'institutions partenaires.",
            "Metropolis propose formation et renforcement des capacités à ses membres depuis 1996. En 2012, son conseil d'administration a choisi Séoul comme siège de la formation, en lien avec Le Caire, Mashhad, Mexico et Paris Île-de-France et en cohérence avec le Secrétariat de Barcelone.",
        ),
        venue=_SHRDC["fr"],
        sessions=(
            "Jour 1 : cérémonie de signature des protocoles d'accord et atelier d'évaluation par les pairs pour les parties prenantes du MITI",
            "Jour 2 : ouverture au public, dévoilement de l'enseigne et forum « Villes du partage »",
        ),
    ),
    "es": ProgrammeTexts(
        title="Foro inaugural del MITI: Ciudades que comparten",
        summary="Dos días en Seúl para inaugurar la sede del Instituto Internacional de Formación de Metropolis, junto con los centros regionales de El Cairo, Mashhad, Ciudad de México y París Île-de-France.",
        paragraphs=(
            "Bajo el lema «Ciudades que comparten», este foro inauguró oficialmente la sede del MITI en Seúl. El alcalde de Seúl y el secretario general de Metropolis inauguraron el instituto junto con representantes de los centros regionales de El Cairo, Mashhad, Ciudad de México y París Île-de-France.",
            "El primer día, el Gobierno Metropolitano de Seúl firmó un memorando de entendimiento bilateral con cada centro regional, con la supervisión de la Secretaría de Metropolis en Barcelona. A continuación, las partes interesadas del MITI se reunieron en un taller basado en el proceso de revisión por pares de la Iniciativa de Metropolis sobre Gobernanza Urbana Integrada, liderada por Berlín, para diseñar los primeros programas internacionales de formación con los aportes de los centros regionales.",
            "El segundo día estuvo abierto al público: se descubrió el letrero del MITI y, a continuación, se celebró el foro «Ciudades que comparten» con representantes de ciudades miembro de Metropolis e instituciones asociadas.",
            "Metropolis ofrece formación y fortalecimiento de capacidades a sus miembros desde 1996. En 2012, su Consejo de Administración eligió Seúl como sede de formación, en colaboración con El Cairo, Mashhad, Ciudad de México y París Île-de-France y en coordinación con la Secretaría en Barcelona.",
        ),
        venue=_SHRDC["es"],
        sessions=(
            "Día 1: Ceremonia de firma de los memorandos de entendimiento y taller del proceso de revisión por pares para las partes interesadas del MITI",
            "Día 2: Apertura al público, descubrimiento del letrero y foro «Ciudades que comparten»",
        ),
    ),
    "ar": ProgrammeTexts(
        title="المنتدى الافتتاحي لمعهد MITI: مدن التشارك",
        summary="يومان في سول افتُتح خلالهما مقرّ معهد متروبوليس الدولي للتدريب، بمشاركة المراكز الإقليمية في القاهرة ومشهد ومدينة مكسيكو وباريس إيل دو فرانس.",
        paragraphs=(
            "تحت شعار «مدن التشارك»، افتتح هذا المنتدى رسميًا مقرّ معهد MITI في سول. وقد دشّن عمدة سول والأمين العام لمتروبوليس المعهدَ بحضور ممثلي المراكز الإقليمية في القاهرة ومشهد ومدينة مكسيكو وباريس إيل دو فرانس.",
            "في اليوم الأول، وقّعت حكومة سول الحضرية مذكرة تفاهم ثنائية مع كل مركز إقليمي، بإشراف أمانة متروبوليس في برشلونة. ثم اجتمع الشركاء المعنيون بمعهد MITI في ورشة عمل اعتمدت عملية مراجعة الأقران التابعة لمبادرة متروبوليس للحوكمة الحضرية المتكاملة بقيادة برلين، لصياغة أولى برامج التدريب الدولية بمساهمة المراكز الإقليمية.",
            "وكان اليوم الثاني مفتوحًا للجمهور: أُزيح الستار عن لافتة معهد MITI، تلاه منتدى «مدن التشارك» بمشاركة ممثلين عن المدن الأعضاء في متروبوليس والمؤسسات الشريكة.",
            "تقدّم متروبوليس التدريب وبناء القدرات لأعضائها منذ عام 1996. وفي عام 2012 اختار مجلس إدارتها سول مقرًا للتدريب، بالتعاون مع القاهرة ومشهد ومدينة مكسيكو وباريس إيل دو فرانس، وبالتنسيق مع الأمانة العامة في برشلونة.",
        ),
        venue=_SHRDC["ar"],
        sessions=(
            "اليوم الأول: مراسم توقيع مذكرات التفاهم وورشة عمل حول عملية مراجعة الأقران للشركاء المعنيين بمعهد MITI",
            "اليوم الثاني: الافتتاح العام وإزاحة الستار عن اللافتة ومنتدى «مدن التشارك»",
        ),
    ),
    "fa": ProgrammeTexts(
        title="همایش افتتاحیهٔ MITI: شهرهای اشتراکی",
        summary="دو روز در سئول که در آن دفتر مرکزی مؤسسهٔ بین‌المللی آموزش متروپلیس، همراه با مراکز منطقه‌ای قاهره، مشهد، مکزیکوسیتی و پاریس ایل‌دوفرانس، افتتاح شد.",
        paragraphs=(
            "این همایش با شعار «شهرهای اشتراکی» دفتر مرکزی MITI در سئول را به‌طور رسمی گشود. شهردار سئول و دبیرکل متروپلیس با حضور نمایندگان مراکز منطقه‌ای قاهره، مشهد، مکزیکوسیتی و پاریس ایل‌دوفرانس این مؤسسه را افتتاح کردند.",
            "در روز نخست، دولت کلان‌شهر سئول با نظارت دبیرخانهٔ متروپلیس در بارسلونا با هر یک از مراکز منطقه‌ای تفاهم‌نامه‌ای دوجانبه امضا کرد. سپس ذی‌نفعان MITI در کارگاهی بر پایهٔ فرایند داوری همتای ابتکار متروپلیس برای حکمرانی یکپارچهٔ شهری، به رهبری برلین، گرد آمدند تا نخستین برنامه‌های آموزشی بین‌المللی را با مشارکت مراکز منطقه‌ای شکل دهند.",
            "روز دوم برای عموم آزاد بود: از تابلوی MITI پرده‌برداری شد و سپس همایش «شهرهای اشتراکی» با حضور نمایندگان شهرهای عضو متروپلیس و نهادهای همکار برگزار شد.",
            "متروپلیس از سال ۱۹۹۶ به اعضای خود آموزش و ظرفیت‌سازی ارائه می‌دهد. هیئت‌مدیرهٔ آن در سال ۲۰۱۲ سئول را به‌عنوان مرکز آموزش برگزید تا با قاهره، مشهد، مکزیکوسیتی و پاریس ایل‌دوفرانس و هماهنگ با دبیرخانه در بارسلونا همکاری کند.",
        ),
        venue=_SHRDC["fa"],
        sessions=(
            "روز نخست: مراسم امضای تفاهم‌نامه‌ها و کارگاه فرایند داوری همتا برای ذی‌نفعان MITI",
            "روز دوم: افتتاحیهٔ عمومی، پرده‌برداری از تابلو و همایش «شهرهای اشتراکی»",
        ),
    ),
    "ko": ProgrammeTexts(
        title="MITI 개원 포럼: 공유도시",
        summary="카이로, 마슈하드, 멕시코시티, 파리 일드프랑스 지역센터와 함께 메트로폴리스 국제교육원 본부의 문을 연 서울에서의 이틀.",
        paragraphs=(
            "‘공유도시’를 주제로 한 이 포럼에서 서울의 MITI 본부가 공식 개원했습니다. 서울시장과 메트로폴리스 사무총장이 카이로, 마슈하드, 멕시코시티, 파리 일드프랑스 지역센터 대표들과 함께 교육원의 개원을 선언했습니다.",
            "첫째 날 서울특별시는 바르셀로나 메트로폴리스 사무국의 참관 아래 각 지역센터와 양자 양해각서를 체결했습니다. 이어 MITI 관계자들은 베를린이 주도하는 메트로폴리스 통합 도시 거버넌스 이니셔티브의 동료 검토 프로세스를 활용한 워크숍에서 지역센터의 의견을 반영해 첫 국제 교육 프로그램을 구상했습니다.",
            "둘째 날은 일반에 공개되었습니다. MITI 현판 제막식에 이어 메트로폴리스 회원 도시와 협력 기관 대표들이 참석한 공유도시 포럼이 열렸습니다.",
            "메트로폴리스는 1996년부터 회원 도시에 교육과 역량 강화 프로그램을 제공해 왔습니다. 2012년 메트로폴리스 이사회는 카이로, 마슈하드, 멕시코시티, 파리 일드프랑스와 협력하고 바르셀로나 사무국과 연계하는 교육 본부로 서울을 선정했습니다.",
        ),
        venue=_SHRDC["ko"],
        sessions=(
            "1일 차: 양해각서 체결식 및 MITI 관계자 동료 검토 프로세스 워크숍",
            "2일 차: 일반 개원식, 현판 제막식 및 공유도시 포럼",
        ),
    ),
}

#: Translations of demo programmes, by programme slug and language.
PROGRAMME_TRANSLATIONS: dict[str, dict[str, ProgrammeTexts]] = {
    "peer-review-process-workshop": PEER_REVIEW,
    "miti-opening-forum-sharing-cities": SHARING_CITIES,
}
