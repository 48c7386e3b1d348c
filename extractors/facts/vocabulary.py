"""The words the fact rules look for: contract names, signing verbs, modality, initiatives, dates."""

from __future__ import annotations

import re

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
    r"Klimatkontrakt\s+(?!20\d\d)[A-ZÅÄÖ][a-zåäö]+|klimatavtal|borgmästaravtal|Covenant\s+of\s+Mayors|"
    r"klimatpakt|klimatprotokoll|klimatallians|klimatlöfte|local\s+climate\s+contract|"
    r"(?:företag(?:en)?|organisationer(?:na)?|företagare)\s+(?:\w+\s+){0,3}(?:har\s+)?"
    r"(?:skrivit|skriver|skrev|signerat|signerar|signerade|undertecknat|undertecknade)",
    re.IGNORECASE,
)
RX_EU_CCC = re.compile(
    r"Climate\s+City\s+Contracts?(?!\s*2030)|klimatstadskontrakt\w*|EU:s\s+klimat(?:stads)?kontrakt|"
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
    r"\bsigner(?:a|ar|ade|at|ades|as|ats|ingen|ing|ande)\b|\bsign(?:s|ed|ing|ature)?\b|"
    r"\bskr(?:iver|ev|ivit|iva|ivs|evs)\s+(?:[\w,]+\s+){0,8}?(?:under|på)\b(?!\s+(?:att|med|sig|om))\b|\bunder(?:teckn\w+|skrift\w*)|"
    r"\btecknar\b|\btecknade\b|\btecknat\b|\bförny(?:ar|ade|at|a)\b|för\s+(?:andra|tredje|fjärde|femte|sjätte)\s+året\s+i\s+rad|"
    r"\bputs?\s+(?:their|its)\s+signature",
    re.IGNORECASE,
)
RX_FUTURE_OR_NEG = re.compile(
    r"\bkommer\s+(?:\w+\s+){0,6}?att\s+(?:\w+\s+){0,2}?(?:signera|skriva|underteckna|teckna)|\bska\s+(?:\w+\s+){0,3}?(?:signera|skriva|underteckna|teckna)|"
    r"\bwill\s+(?:\w+\s+){0,2}?sign|\bplanerar\s+att|\binför\s+(?:signering|undertecknande)|\binte\s+(?:\w+\s+)?(?:signera|skriv|underteck)|"
    r"\binte\s+har\s+(?:signerat|skrivit)|\bnot\s+(?:yet\s+)?signed|\bsignera\s+nästa|\bskrivas\s+med\b|\bkan\s+(?:\w+\s+){0,3}(?:skriva|signera)|"
    r"\bvill\s+(?:\w+\s+){0,3}(?:skriva|signera)|\bgenom\s+att\s+(?:skriva|signera)|\bhow\s+to\s+sign|"
    r"\bvarje\s+år\b|\bårligen\b|\bevery\s+(?:year|December)\b|\bannually\b|\bbrukar\b|"
    r"\b(?:räknar\s+med|siktar\s+på|avser|hoppas|förväntas|expects?|plans?|intends?|hopes?|is\s+expected)\s+"
    r"(?:att\s+|to\s+)?(?:\w+\s+){0,3}?(?:skriva|signera|underteckna|teckna|sign)",
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
    r"Signing\s+parties|Signatories|Parties\s+signing|Undertecknare)\s*:?\s*",
    re.IGNORECASE,
)
RX_INITIATIVE_K = re.compile(
    r"Klimatneutrala\s+städer\s*2030|Climate[-\s]Neutral\s+Cities\s*2030|Viable\s+Cities(?:’|'|s)?\s+(?:satsning|initiativ|program)|"
    r"\bsatsningen\b|\binitiativet\b|Viable\s+Cities",
    re.IGNORECASE,
)
RX_INITIATIVE_EU = re.compile(
    r"EU[-:]?s?\s*(?:städer)?mission\w*|Cities\s+Mission|EU\s+Mission|100\s+klimatneutrala\s+(?:och\s+smarta\s+)?städer|"
    r"100\s+climate[-\s]neutral\s+(?:and\s+smart\s+)?cities|Mission\s+Cities|NetZeroCities|missionen\s+för\s+klimatneutrala",
    re.IGNORECASE,
)
RX_MEMBER = re.compile(
    r"\bingår\b|\bingick\b|\bingått\b|är\s+med\s+i|\bvar\s+med\b|varit\s+med|\banslö(?:t|ts)\b|\bansluter\b|\banslutit\b|\banslut(?:en|na)\b|"
    r"\bgick\s+(?:\w+\s+){0,3}?med\s+i\b|\bgick\s+med\b|\bgår\s+med\b|\bblev\s+(?:\w+\s+){0,2}del\s+av|\b(?:är|blev|var|har\s+varit|has\s+been|became|is)\s+(?:[\w,]+\s+){0,4}?(?:en|one)\s+(?:av|of)\b|\bvaldes\s+(?:[\w,]+\s+){0,4}?ut\b|\bvalts\s+(?:[\w,]+\s+){0,3}?ut\b|"
    r"\butsetts\b|\butsågs\b|\butvald\w*|\bselected\b|\bjoined\b|\bhas\s+been\s+part\b|\bis\s+(?:\w+\s+)?part\s+of\b|\bmedlem\w*|"
    r"\bdeltar\b|\bantogs\b|\btillkom\w*|\bupptag\w*|\bdel\s+av\b|\btvillingstad\w*",
    re.IGNORECASE,
)
RX_PIONEER = re.compile(
    r"från\s+(?:första\s+)?(?:början|start(?:en)?)|sedan\s+start(?:en)?|pionjär\w*|\bpilot\w*|första\s+(?:vågen|omgången)|"
    r"\bwave\s+1\b|de\s+nio\s+(?:första|ursprungliga)|en\s+av\s+de\s+nio|\bnine\s+pioneer|first\s+nine|from\s+the\s+(?:start|beginning)",
    re.IGNORECASE,
)
RX_JOIN_YEAR = re.compile(
    r"(?:sedan|från|år|i|under|in|since|hösten|våren|sommaren|vintern|starten|januari|februari|mars|april|maj|juni|juli|"
    r"augusti|september|oktober|november|december)\s+(?:starten\s+|hösten\s+|våren\s+|år\s+)?"
    r"(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
RX_QUOTE_START = re.compile(r"^\s*[–—\-\"“”»]")
RX_SINCE = re.compile(r"(?:sedan|från|since|from|fram\s+till|until|till|före|before)\s+(?:den\s+)?$", re.IGNORECASE)
