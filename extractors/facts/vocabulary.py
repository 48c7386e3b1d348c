"""The words the fact rules look for: contract names, signing verbs, modality, initiatives, dates."""

from __future__ import annotations

import re

from extractors.patterns import Gated

K2030 = "klimatkontrakt-2030"
LOI = "letter-of-intent"
EU_CCC = "eu-climate-city-contract"
EU_LABEL = "eu-mission-label"
EVCD = "european-viable-cities-day"
K2030_INITIATIVE = "klimatneutrala-stader-2030"

# ---- vocabulary -------------------------------------------------------------------------

RX_K2030_EXPLICIT = re.compile(
    r"Klimatkontrakt(?:et|en)?\s*2030|Klimatkontrakt-?2030|Climate\s+City\s+Contract\s*2030|"
    r"Climate\s+Contract\s*2030|City\s+Climate\s+Contract\s*2030",
    re.IGNORECASE,
)
RX_K2030_CONTEXT = re.compile(
    r"Viable\s+Cities|Klimatneutrala\s+städer\s*2030|Climate[-\s]Neutral\s+Cities\s*2030|"
    r"Klimatkontrakt\s*2030|Climate\s+City\s+Contract\s*2030",
    re.IGNORECASE,
)
RX_CONTRACT_WORD = re.compile(
    r"klimatkontrakt\w*|\bkontrakt(?:et|en)?\b|Climate\s+City\s+Contracts?|\bcontract\b|\bavtalet\b",
    re.IGNORECASE,
)
RX_LOOKALIKE = re.compile(
    r"lokal(?:a|t)?\s+klimatkontrakt|klimatkontrakt\w*\s+(?:med|för)\s+(?:\w+\s+)?(?:företag|näringsliv|organisation)|"
    r"(?-i:Klimatkontrakt)\s+(?!20\d\d)(?!(?-i:Den|Det|De|Nu|I|Vi|Här|Där|Då|Som|Med|Och)\b)(?-i:[A-ZÅÄÖ])[a-zåäö]+|klimatavtal|borgmästaravtal|Covenant\s+of\s+Mayors|"
    r"klimatpakt|klimatprotokoll|klimatallians|klimatlöfte|local\s+climate\s+contract|"
    r"(?:företag(?:en)?|organisationer(?:na)?|företagare)\s+(?:\w+\s+){0,3}(?:har\s+)?"
    r"(?:skrivit|skriver|skrev|signerat|signerar|signerade|undertecknat|undertecknade)",
    re.IGNORECASE,
)
RX_EU_CCC = re.compile(
    r"Climate\s+City\s+Contracts?\b(?!\s*2030)|klimatstadskontrakt\w*|EU:s\s+klimat(?:stads)?kontrakt|"
    r"europeisk\w*\s+(?:versionen?\s+av\s+)?(?:Climate\s+City\s+Contract|klimatkontrakt)|"
    r"EU[-\s]?kontrakt\w*|CCC\b",
    re.IGNORECASE,
)
RX_EU_CONTEXT = re.compile(r"\bEU\b|EU:s|EU-|europeisk|European|Mission|missionen|Europeiska\s+kommissionen", re.IGNORECASE)
RX_EU_LABEL = re.compile(r"Mission\s+Label|EU\s+Mission\s+label|missionsmärk\w*|Mission[-\s]?märk\w*|EU-märk\w*|"
                         r"\blabel\b|\bmärkning\w*", re.IGNORECASE)
RX_AWARD = re.compile(r"tilldela\w*|\bfick\b|\bfått\b|\bfår\b|erhåll\w*|award\w*|receiv\w*|beviljad\w*|granted|"
                      r"delades\s+ut|got\b", re.IGNORECASE)
RX_LOI = re.compile(r"avsiktsförklaring\w*|letters?\s+of\s+intent|declarations?\s+of\s+intent|intent\s+declaration",
                    re.IGNORECASE)
RX_SIGN = re.compile(
    r"\bsigner(?:a|ar|ade|at|ades|as|ats|ingen|ing|ande)\b|\bsign(?:s|ed|ing|ature)\b|\bsign\b(?!\s+(?:that|of)\b)|"
    r"\bskr(?:iver|ev|ivit|iva|ivs|evs|ivits)\s+(?:[\w,():–-]+\s+){0,14}?(?:under|på)\b(?!\s+(?:att|med|sig|om))\b|"
    r"\bunder(?:teckn\w+|skrift\w*)|\btecknar\b|\btecknade\b|\btecknat\b|\btecknades\b|\btecknas\b|"
    r"\bförny(?:ar|ade|at|a|ades|as)\b|\brenew(?:s|ed|ing)?\b|för\s+(?:andra|tredje|fjärde|femte|sjätte)\s+året\s+i\s+rad|"
    r"\bputs?\s+(?:their|its)\s+signature",
    re.IGNORECASE,
)
_SIGN_INFINITIVE = r"(?:signera|skriva|underteckna|teckna|förnya|sign|renew|ansluta|gå\s+med)"
# a sentence that names a signing without stating one: a negation, a condition, a hope or a plan,
# a habit, a means ("genom att skriva under"), an earlier award ("tidigare fick"), an application
_NOT_A_FACT = re.compile(
    rf"\b(?:ännu|fortfarande|aldrig)\s+inte\b|\binte\s+(?:ännu\s+|heller\s+|har\s+|ens\s+)?(?:signera\w*|skriv\w*|underteck\w*|teckna\w*)|"
    rf"\binte\s+har\s+(?:signerat|skrivit)|"
    rf"\b(?:skriver|skrev|signerar|signerade|undertecknar|undertecknade|tecknar|tecknade|förnyar|förnyade|har|hade|"
    rf"did|does|do|has|have)\s+(?:\w+\s+)?(?:inte|ej|aldrig|not|never)\b(?!\s+bara)|\bnot\s+(?:yet\s+)?(?:signed|sign)|\bhas\s+not\s+(?:yet\s+)?|\bhave\s+not\s+(?:yet\s+)?|"
    rf"\b(?:kan|kunde|skulle|kanske|may|might|could|would)\s+(?:\w+\s+){{0,3}}?(?:{_SIGN_INFINITIVE}|få|receive|get)\b|"
    rf"\b(?:räknar\s+med\s+att|siktar\s+på\s+att|avser\s+att|hoppas|förväntas|planerar|planeras|vill|önskar|"
    rf"expects?|expected|plans?|planned|intends?|hopes?|aims?)\s+(?:att\s+|to\s+)?(?:\w+\s+){{0,4}}?{_SIGN_INFINITIVE}|"
    rf"\bvarje\s+(?:år|december)\b|\bårligen\b|\bevery\s+(?:year|December)\b|\bannually\b|\beach\s+year\b|\bbrukar\b|"
    rf"\bgenom\s+att\s+(?:skriva|signera)|\bhow\s+to\s+sign|\bsignera\s+nästa|\bskrivas\s+med\b|\butredas\b|"
    rf"\binför\s+(?:signering|undertecknande)|\btidigare\s+(?:fick|fått|har\s+fått|tilldelats)|\bpreviously\s+(?:received|got|was\s+awarded)|"
    rf"^\W*(?:to\s+sign|att\s+(?:skriva|signera|underteckna|teckna))\b|"
    rf"\binte\s+(?:detsamma|samma\s+sak)\s+som|\bnot\s+the\s+same\s+as|\bansök\w*\s+(?:\w+\s+){{0,3}}?om|\bsöker\s+om|\bapplied\s+for|\bapplies\s+for|\b(?:betyder|innebär|innebära|tro|tror)\s+att\b|"
    rf"\b(?:siktar|planerar|hoppas|önskar|avser|vill)\b(?:\s+\S+){{0,10}}?\s+(?:att\s+)?(?:kunna\s+)?{_SIGN_INFINITIVE}",
    re.IGNORECASE,
)
RX_NOT_A_FACT = Gated(_NOT_A_FACT, (
    "inte", "ej", "aldrig", "not", "never", "kan", "kunde", "skulle", "may", "might", "could", "would", "räknar",
    "siktar", "avser", "hoppas", "förväntas", "planer", "vill", "önskar", "expect", "plan", "intend", "hope", "aim",
    "varje", "årligen", "every", "annually", "each", "brukar", "genom", "how", "nästa", "skrivas", "utredas", "inför",
    "tidigare", "previously", "to sign", "att skriva", "att signera", "att underteckna", "att teckna", "ansök",
    "söker", "applied", "applies", "betyder", "innebär", "tro",
))
# an announcement of a coming signing: "kommer att signera", "ska skriva under", "will sign"
RX_ANNOUNCE = re.compile(
    rf"\bkommer\s+(?:\w+\s+){{0,6}}?att\s+(?:\w+\s+){{0,2}}?{_SIGN_INFINITIVE}|"
    rf"\bska\s+(?:\w+\s+){{0,4}}?(?:signera|skriva\s+(?:\w+\s+){{0,3}}?(?:under|på)|underteckna|teckna|förnya)\b|"
    rf"\bwill\s+(?:\w+\s+){{0,3}}?(?:sign|renew)|\b(?:is|are)\s+(?:going|due|set)\s+to\s+sign",
    re.IGNORECASE,
)
# where a sentence holds two signings: "..., medan de nya städerna skriver under en avsiktsförklaring"
RX_CLAUSE = re.compile(r",?\s+(?:medan|while|whereas|samtidigt\s+som)\s+|;\s+|,\s+där\s+(?=\w+\s+\w+)", re.IGNORECASE)
# "samma dag", "the same day", "under eftermiddagen": the day of the date written just before
RX_SAME_DAY = re.compile(
    r"\b(?:samma\s+dag|same\s+day|vid\s+samma\s+tillfälle|på\s+samma\s+gång|senare\s+(?:samma\s+dag|under\s+dagen)|"
    r"(?:under|på)\s+(?:för|efter)middagen|under\s+dagen|under\s+ceremonin|"
    r"(?:during|in)\s+the\s+(?:afternoon|morning|day|ceremony)|later\s+that\s+day|samtidigt|at\s+the\s+same\s+time)\b",
    re.IGNORECASE,
)
# a present passive without a day: how the contract is signed in general ("Kontraktet tecknas
# mellan kommunen och staten"), not a report
RX_GENERIC_PASSIVE = re.compile(r"\b(?:tecknas|undertecknas|signeras|skrivs\s+(?:\w+\s+)?under|is\s+signed|are\s+signed)\b",
                                re.IGNORECASE)
# an award reported, not described: "tilldelades", "fick", "har fått", "received", "was awarded"
RX_AWARDED = re.compile(r"\b(?:tilldelades|tilldelats|fick|fått|erhöll|erhållit|delades\s+ut|received|got|was\s+awarded|"
                        r"were\s+awarded|has\s+been\s+awarded|awarded)\b", re.IGNORECASE)
# a coming time without a day: "skriver under ... i december", "nästa år", "later this year"
RX_FUTURE_TIME = re.compile(
    r"\b(?:nästa|kommande|senare\s+i\s+år|i\s+höst|i\s+vinter|till\s+hösten|next|later\s+this\s+year|upcoming|coming)\b|"
    r"\bi\s+(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\b(?!\s+\d)|"
    r"\bin\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b(?!\s+\d)",
    re.IGNORECASE,
)
RX_SIGN_PRESENT = re.compile(r"\b(?:skriver|signerar|undertecknar|tecknar|förnyar|signs|renews)\b", re.IGNORECASE)
# a signing verb in a past tense (a report, even when the page was written before the date)
RX_SIGN_PAST = re.compile(
    r"\b(?:skrev|skrevs|signerade|signerades|undertecknade|undertecknades|tecknade|tecknades|förnyade|förnyades|"
    r"har\s+(?:\w+\s+){0,3}?(?:skrivit|signerat|undertecknat|tecknat|förnyat)|signed|renewed)\b",
    re.IGNORECASE,
)

# list items that are a party's contract document: "Ystads klimatkontrakt (pdf, 1 MB)"
RX_DOCUMENT_ITEM = re.compile(
    r"klimatkontrakt\w*(?:\s*2030)?|Climate\s+City\s+Contract(?:\s*2030)?|avsiktsförklaring\w*|letters?\s+of\s+intent|"
    r"\bkontrakt(?:et)?\b|\bcontract\b|\(?\s*pdf\b[^)]*\)?|\bmunicipality's\b|\bcity's\b|\bkommuns\b|–|-",
    re.IGNORECASE,
)
# the label of a line in a block of signing parties: "Kommuner: A, B och C"
RX_PARTY_LINE = re.compile(
    r"^\s*(?:Kommuner(?:na)?|Städer(?:na)?|Myndigheter(?:na)?|Programmet|Program|Agencies|Government\s+agencies|"
    r"Municipalities|Cities|Programme|Organisationer)\s*:\s*",
    re.IGNORECASE,
)
RX_SELF = re.compile(
    r"\b(?:[Kk]ommunen|[Kk]ommunens|[Ss]taden|[Ss]tadens|[Vv]i|[Vv]år|[Vv]årt|[Vv]åra|[Oo]ss|[Tt]he\s+municipality|"
    r"[Tt]he\s+city|[Ww]e|[Oo]ur)\b"
)
RX_PLURAL_CITIES = re.compile(
    r"\b(?:\d+|nio|tio|fjorton|tjugotre|tjugo|alla|samtliga|de|flera|övriga|andra|svenska|nya|nine|fourteen|"
    r"twenty-three|all|the)\s+(?:\w+\s+)?(?:städer(?:na)?|kommuner(?:na)?|cities|municipalities)\b|"
    r"\b(?:städerna|kommunerna|medlemsstäderna|kommunledningarna)\b",
    re.IGNORECASE,
)
RX_TODAY = re.compile(r"\b(?:i\s*dag|idag|today|i\s+förmiddags|i\s+eftermiddags|i\s+morse)\b", re.IGNORECASE)
RX_VERSION = re.compile(
    r"\b(?:(?P<a>(?:19|20)\d\d)\s+års\s+version|version(?:en)?\s+(?:för\s+)?(?P<b>(?:19|20)\d\d)|"
    r"\(?(?P<c>(?:19|20)\d\d)[\s-]+(?:version|versionen)\)?|(?P<d>(?:19|20)\d\d)-versionen)\b",
    re.IGNORECASE,
)
RX_EVCD = re.compile(r"European\s+Viable\s+Cities\s+Day(?:\s+(?P<year>(?:19|20)\d\d))?", re.IGNORECASE)
RX_ONLINE = re.compile(
    r"\b(?:online|digitalt|digital(?:t)?\s+(?:event|evenemang|sändning)|webbsän\w*|livesän\w*|sänds\s+(?:live|digitalt)|"
    r"via\s+(?:YouTube|Zoom|Teams)|webinar|webbinar\w*|YouTube|livestream\w*|Teams)\b",
    re.IGNORECASE,
)
RX_LOCATION_LABEL = re.compile(r"^(?:Plats|Var|Where|Location|Venue|Lokal)\s*:?\s*(?P<v>.+)$", re.IGNORECASE)
RX_TIME_LABEL = re.compile(r"^(?:Tid|När|Datum|When|Date|Time|Tidpunkt)\s*:?\s*(?P<v>.+)$", re.IGNORECASE)
RX_YEAR_HEADING = re.compile(r"^\s*(?P<year>(?:19|20)\d\d)\s*(?:[–—\-:]|$)")
RX_PARTIES_LABEL = re.compile(
    r"^(?:Signerande\s+parter|Undertecknande\s+parter|Parter\s+som\s+(?:signerat|signerade|undertecknat|undertecknade)|"
    r"Signing\s+parties|Signatories|Parties\s+signing|Undertecknare|Kontraktets\s+parter|Parterna|"
    r"(?:Signerande|Undertecknande)\s+(?:myndigheter|kommuner|städer|organisationer)(?:\s+och\s+\w+)?|"
    r"Signatory\s+(?:agencies|cities|municipalities|parties|organisations)(?:\s+and\s+\w+)?)\s*:?\s*",
    re.IGNORECASE,
)
RX_INITIATIVE_K = re.compile(
    r"Klimatneutrala\s+städer\s*2030|Climate[-\s]Neutral\s+Cities\s*2030|Viable\s+Cities(?:’|'|s)?\s+(?:satsning|initiativ)|"
    r"\bsatsningen\b|\binitiativet\b|\bthe\s+initiative\b|2030-städer\w*|Viable\s+Cities",
    re.IGNORECASE,
)
RX_INITIATIVE_EU = re.compile(
    r"EU[-:]?s?\s*(?:städer)?mission\w*|Cities\s+Mission|EU\s+Mission|100\s+klimatneutrala\s+(?:och\s+smarta\s+)?städer|"
    r"100\s+climate[-\s]neutral\s+(?:and\s+smart\s+)?cities|Mission\s+Cities|missionen\s+för\s+klimatneutrala|"
    r"(?:the|EU's)\s+mission\b|missionsstäder\w*|EU-mission\w*",
    re.IGNORECASE,
)
# membership of the programme itself, not of its initiative: "medlem i innovationsprogrammet Viable Cities"
RX_PROGRAMME_MEMBER = re.compile(
    r"(?:medlem\w*|partner\w*|member\w*)\s+(?:i|of|in)\s+(?:det\s+)?(?:strategiska\s+)?(?:innovations)?(?:programmet\s+)?"
    r"Viable\s+Cities\b(?!\s*(?:’|'|s)?\s*(?:satsning|initiativ))",
    re.IGNORECASE,
)
_MEMBER = re.compile(
    r"\bingår\b|\bingick\b|\bingått\b|är\s+med\b|\bvar\s+med\b|varit\s+med|\banslö(?:t|ts)\b|\bansluter\b|\banslutit\b|"
    r"\banslut(?:en|na)\b|\bgick\s+(?:\w+\s+){0,3}?med\s+i\b|\bgick\s+med\b|\bgår\s+(?:\w+\s+){0,2}?(?:med|in)\b|"
    r"\bblev\s+(?:\w+\s+){0,2}del\s+av|\b(?:är|blev|var|blir|har\s+varit|has\s+been|became|is|are|was|were)\s+"
    r"(?:[\w,]+\s+){0,4}?(?:en|one)\s+(?:av|of)\b|\bvaldes\s+(?:[\w,]+\s+){0,4}?ut\b|\bvalts\s+(?:[\w,]+\s+){0,3}?ut\b|"
    r"\butsetts\b|\butsågs\b|\butvald\w*|\bselected\b|\bjoin(?:s|ed)?\b|\b(?:has|have)\s+been\s+(?:part|involved)\b|"
    r"\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:part|members?)\s+of\b|\b(?:are|is)\s+involved\b|\bmedlem\w*|"
    r"\bdeltar\b|\bantogs\b|\btillkom\w*|\bupptag\w*|\b(?:är|blev|blir|var|is|are)\s+(?:en\s+)?del\s+av\b|\btvillingstad\w*|\bväxte\b|\bgrew\b|"
    r"\bkom(?:mer|mit)?\s+(?:\w+\s+)?(?:in|med)\b|\b(?:är|var)\s+(?:de\s+)?(?:nya|new)\b|"
    r"\bde\s+(?:\w+\s+)?(?:nya\s+)?(?:städerna|kommunerna|pionjärstäderna|pionjärkommunerna)\s+(?:i\s+\w+\s+)?(?:är|var)\b|"
    r"\bthe\s+(?:\w+\s+)?(?:new\s+)?(?:cities|municipalities)\s+(?:in\s+\w+\s+)?(?:are|were)\b|"
    r"\bbland\s+(?:de|dem)\b.{0,40}\bfinns\b|"
    r"\b(?:är|var|blev|are|were)\s+(?:\w+\s+)?(?:pionjärerna|pionjärkommunerna|pionjärstäderna|medlemmarna|deltagarna|the\s+pioneers)\s+(?:i|in)\b",
    re.IGNORECASE,
)
RX_MEMBER = Gated(_MEMBER, (
    "ingår", "ingick", "ingått", "med", "anslö", "anslut", "gick", "går", "blev", "en av", "one of", "valdes",
    "valts", "utsetts", "utsågs", "utvald", "selected", "join", "part", "involved", "member", "medlem", "deltar",
    "antogs", "tillkom", "upptag", "del av", "tvillingstad", "växte", "grew", "kom", "nya", "new", "städerna",
    "kommunerna", "pionjär", "cities", "municipalities", "bland", "deltagarna", "pioneers",
))
# the first intake: "sedan starten", "de nio pionjärstäderna", "the first wave"; "pionjär" alone
# is not enough (the 2024 intake has "nya pionjärstäder" of its own)
RX_PIONEER = re.compile(
    r"från\s+(?:första\s+)?(?:början|start(?:en)?)|sedan\s+start(?:en)?|\bpilot\w*|första\s+(?:vågen|omgången)|"
    r"\bwave\s+1\b|\bomgång\s+1\b|de\s+nio\s+(?:första|ursprungliga|pionjär\w*)|en\s+av\s+de\s+nio|\bnine\s+pioneer|first\s+nine|"
    r"from\s+the\s+(?:start|beginning)|since\s+the\s+(?:start|beginning)|(?:the\s+)?first\s+wave|the\s+nine\s+(?:original\s+)?cities|"
    r"pionjär\w*\s+(?:från|sedan)\s+(?:2019|2020)|\bnio\b.{0,60}\bpionjär\w*|\bnine\b.{0,60}\bpioneer",
    re.IGNORECASE,
)
RX_JOIN_YEAR = re.compile(
    r"(?:sedan|från|år|i|under|in|since|hösten|våren|sommaren|vintern|autumn|spring|summer|winter|starten|omgången,?|vågen,?|intaget|round,?|wave,?|"
    r"valdes|valts|utsågs|anslöt|selected|joined|januari|februari|mars|april|maj|juni|juli|"
    r"augusti|september|oktober|november|december)\s+(?:starten\s+|hösten\s+|våren\s+|år\s+)?"
    r"(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
RX_QUOTE_START = re.compile(r"^\s*[–—\-\"“”»]")
RX_SINCE = re.compile(r"(?:sedan|från|since|from|fram\s+till|until|till|före|before)\s+(?:den\s+)?$", re.IGNORECASE)
