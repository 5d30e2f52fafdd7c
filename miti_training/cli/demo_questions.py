"""The custom questions of the flagship demo programmes, with their translations."""

from dataclasses import dataclass, field

from miti_training.models import QuestionKind


@dataclass(frozen=True)
class QuestionSpec:
    kind: QuestionKind
    label: str
    help_text: str = ""
    choices: tuple[str, ...] = ()
    is_required: bool = False
    #: language -> (label, help text, choices in the original's order)
    translations: dict[str, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)


_POLICY = QuestionSpec(
    QuestionKind.SHORT_TEXT,
    "Which policy of your city would you like to submit for a peer review?",
    "One line is enough, for example “Integrated planning of metro station areas”.",
    is_required=True,
    translations={
        "fr": (
            "Quelle politique de votre ville souhaiteriez-vous soumettre à une évaluation par les pairs ?",
            "Une ligne suffit, par exemple « Aménagement intégré des quartiers de gare ».",
            (),
        ),
        "es": (
            "¿Qué política de su ciudad le gustaría someter a una revisión por pares?",
            "Basta con una línea, por ejemplo «Planificación integrada del entorno de las estaciones de metro».",
            (),
        ),
        "ar": (
            "ما السياسة التي تودّ أن تعرضها مدينتك لمراجعة الأقران؟",
            "يكفي سطر واحد، مثل «التخطيط المتكامل لمحيط محطات المترو».",
            (),
        ),
        "fa": (
            "کدام سیاست شهرتان را می‌خواهید برای داوری همتا پیشنهاد کنید؟",
            "یک خط کافی است؛ برای نمونه «برنامه‌ریزی یکپارچهٔ محدودهٔ ایستگاه‌های مترو».",
            (),
        ),
        "ko": (
            "동료 검토에 제안하고 싶은 소속 도시의 정책은 무엇입니까?",
            "한 줄이면 충분합니다. 예: ‘지하철역 주변 통합 계획’.",
            (),
        ),
    },
)

_EXPERIENCE = QuestionSpec(
    QuestionKind.SINGLE_CHOICE,
    "Have you taken part in a peer review before?",
    choices=("Never", "Yes, as a reviewer", "Yes, as a host city"),
    is_required=True,
    translations={
        "fr": (
            "Avez-vous déjà participé à une évaluation par les pairs ?",
            "",
            ("Jamais", "Oui, comme évaluateur ou évaluatrice", "Oui, comme ville hôte"),
        ),
        "es": (
            "¿Ha participado antes en una revisión por pares?",
            "",
            ("Nunca", "Sí, como revisor o revisora", "Sí, como ciudad anfitriona"),
        ),
        "ar": (
            "هل سبق لك أن شاركت في مراجعة أقران؟",
            "",
            ("لم يسبق لي ذلك", "نعم، بصفتي مراجِعًا", "نعم، مع مدينة مضيفة"),
        ),
        "fa": (
            "آیا پیش‌تر در داوری همتا شرکت کرده‌اید؟",
            "",
            ("هرگز", "بله، در نقش داور", "بله، از سوی شهر میزبان"),
        ),
        "ko": (
            "이전에 동료 검토에 참여한 적이 있습니까?",
            "",
            ("없음", "예, 검토자로 참여", "예, 주최 도시로 참여"),
        ),
    },
)

_PRESENT = QuestionSpec(
    QuestionKind.YES_NO,
    "Would you like to present your city's policy to the group (10 minutes)?",
    "The trainers choose two or three presentations among the volunteers.",
    translations={
        "fr": (
            "Souhaitez-vous présenter la politique de votre ville au groupe (10 minutes) ?",
            "Les formateurs retiennent deux ou trois présentations parmi les volontaires.",
            (),
        ),
        "es": (
            "¿Desea presentar la política de su ciudad al grupo (10 minutos)?",
            "Los formadores eligen dos o tres presentaciones entre los voluntarios.",
            (),
        ),
        "ar": (
            "هل تودّ عرض سياسة مدينتك على المجموعة (10 دقائق)؟",
            "يختار المدرّبون عرضين أو ثلاثة من بين المتطوعين.",
            (),
        ),
        "fa": (
            "آیا مایلید سیاست شهرتان را برای گروه ارائه کنید (۱۰ دقیقه)؟",
            "مربیان دو یا سه ارائه را از میان داوطلبان برمی‌گزینند.",
            (),
        ),
        "ko": (
            "소속 도시의 정책을 그룹에 발표하시겠습니까(10분)?",
            "강사가 희망자 중 두세 건의 발표를 선정합니다.",
            (),
        ),
    },
)

_DAYS = QuestionSpec(
    QuestionKind.MULTIPLE_CHOICE,
    "Which parts of the forum will you attend?",
    choices=("Day 1: MoU signing and workshop", "Day 2: Public opening and forum"),
    translations={
        "fr": (
            "À quelles parties du forum participerez-vous ?",
            "",
            (
                "Jour 1 : signature des protocoles et atelier",
                "Jour 2 : ouverture publique et forum",
            ),
        ),
        "es": (
            "¿A qué partes del foro asistirá?",
            "",
            ("Día 1: firma de los memorandos y taller", "Día 2: apertura pública y foro"),
        ),
        "ar": (
            "ما الأجزاء التي ستحضرها من المنتدى؟",
            "",
            ("اليوم الأول: توقيع المذكرات وورشة العمل", "اليوم الثاني: الافتتاح العام والمنتدى"),
        ),
        "fa": (
            "در کدام بخش‌های همایش شرکت می‌کنید؟",
            "",
            ("روز نخست: امضای تفاهم‌نامه‌ها و کارگاه", "روز دوم: افتتاحیهٔ عمومی و همایش"),
        ),
        "ko": (
            "포럼의 어느 일정에 참석하십니까?",
            "",
            ("1일 차: 양해각서 체결 및 워크숍", "2일 차: 일반 개원식 및 포럼"),
        ),
    },
)

_SHARE = QuestionSpec(
    QuestionKind.LONG_TEXT,
    "What would your city like to share with the network?",
    "A practice, a project or a lesson learnt; a few lines are enough.",
    translations={
        "fr": (
            "Que votre ville aimerait-elle partager avec le réseau ?",
            "Une pratique, un projet ou un enseignement ; quelques lignes suffisent.",
            (),
        ),
        "es": (
            "¿Qué le gustaría compartir a su ciudad con la red?",
            "Una práctica, un proyecto o una lección aprendida; bastan unas líneas.",
            (),
        ),
        "ar": (
            "ما الذي تودّ مدينتك مشاركته مع الشبكة؟",
            "ممارسة أو مشروع أو درس مستفاد؛ تكفي بضعة أسطر.",
            (),
        ),
        "fa": (
            "شهر شما دوست دارد چه چیزی را با شبکه به اشتراک بگذارد؟",
            "یک تجربه، یک پروژه یا درسی آموخته؛ چند خط کافی است.",
            (),
        ),
        "ko": (
            "소속 도시가 네트워크와 공유하고 싶은 것은 무엇입니까?",
            "정책 사례, 프로젝트 또는 교훈 등 몇 줄이면 충분합니다.",
            (),
        ),
    },
)

#: The registration form's questions of demo programmes, by programme slug, in form order.
QUESTIONS: dict[str, tuple[QuestionSpec, ...]] = {
    "peer-review-process-workshop": (_POLICY, _EXPERIENCE, _PRESENT),
    "miti-opening-forum-sharing-cities": (_DAYS, _SHARE),
}
