//! The word lists attribution reads by: verbs of saying, pronouns,
//! titles, institutions, and words that are never names.

/// Verbs that introduce or follow a direct quote.
pub(super) const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "noted",
    "notes",
    "added",
    "adds",
    "stated",
    "states",
    "told",
    "tells",
    "emphasized",
    "emphasised",
    "emphasizes",
    "emphasises",
    "stressed",
    "stresses",
    "warned",
    "warns",
    "explained",
    "explains",
    "argued",
    "argues",
    "wrote",
    "writes",
    "asked",
    "asks",
    "clarified",
    "clarifies",
    "affirmed",
    "affirms",
    "declared",
    "declares",
    "insisted",
    "insists",
    "replied",
    "replies",
    "responded",
    "continued",
    "concluded",
    "commented",
    "remarked",
    "announced",
    "claimed",
    "claims",
    "maintained",
    "acknowledged",
    "admitted",
    "observed",
    "recalled",
    "urged",
    "vowed",
    "confirmed",
    "reiterated",
    "underlined",
    "underscored",
    "tweeted",
    "posted",
    "shouted",
    "exclaimed",
    "cried",
    "whispered",
    "quipped",
];

/// Participles of speech verbs: `..., saying: "..."` takes its speaker from
/// the subject of the sentence.
pub(super) const PARTICIPLES: &[&str] = &[
    "saying",
    "adding",
    "telling",
    "writing",
    "noting",
    "stressing",
    "warning",
    "explaining",
    "insisting",
    "arguing",
    "declaring",
    "calling",
    "describing",
    "tweeting",
    "shouting",
    "claiming",
    "urging",
    "criticising",
    "criticizing",
];

/// Verbs that report someone's words without introducing a whole quote:
/// the subject of `X called it "a farce"` or `X described it as
/// "aggressive"` is the speaker of the quoted words.
pub(super) const REPORTING_VERBS: &[&str] = &[
    "called",
    "calls",
    "described",
    "describes",
    "accused",
    "accuses",
    "denied",
    "denies",
    "concluded",
    "condemned",
    "criticised",
    "criticized",
    "criticises",
    "criticizes",
    "dismissed",
    "labelled",
    "labeled",
    "branded",
    "commended",
    "praised",
    "pledged",
    "promised",
    "predicted",
    "hailed",
    "expects",
    "expected",
    "apologised",
    "apologized",
    "billed",
    "ruled",
    "rules",
    "slammed",
    "slams",
    "blasted",
    "lauded",
    "welcomed",
    "decried",
    "rejected",
    "demanded",
    "pleaded",
];

/// Nouns for what speaks for its author: `a statement by X`, `X's
/// statement added`.
pub(super) const STATEMENT_WORDS: &[&str] = &[
    "statement",
    "report",
    "letter",
    "tweet",
    "post",
    "message",
    "release",
    "communique",
    "remarks",
    "complaint",
    "ruling",
    "judgment",
    "lawsuit",
];

/// Determiners that make a description point back to someone already
/// named (`the diplomat said`, `his spokesman said`).
pub(super) const DEFINITE: &[&str] = &["the", "his", "her", "its", "their"];

/// Prepositions whose object (a place) may run straight into a name:
/// `envoy in Geneva Alexei Rusk said`.
pub(super) const PLACE_PREPOSITIONS: &[&str] = &["in", "at", "from"];

/// Verbs whose object may follow them before the end (`told reporters.`).
pub(super) const VERBS_WITH_OBJECT: &[&str] = &["told", "tells", "asked", "asks", "urged"];

/// Subjects that name nobody.
pub(super) const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "who", "this",
];

/// Pronouns that may stand for a speaker named earlier in the paragraph.
pub(super) const PERSONAL_PRONOUNS: &[&str] = &["he", "she"];

/// Words that may stand between a subject and its verb.
pub(super) const ADVERBS: &[&str] = &[
    "also",
    "further",
    "then",
    "again",
    "later",
    "previously",
    "once",
    "has",
    "had",
    "have",
    "was",
    "would",
    "will",
    "earlier",
    "subsequently",
    "today",
    "yesterday",
    "tonight",
    "meanwhile",
    "nevertheless",
    "however",
];

/// Lower-case words allowed inside a name (`Minister of the Interior`).
pub(super) const CONNECTORS: &[&str] = &[
    "of", "the", "for", "de", "del", "da", "di", "al", "el", "bin", "ben", "van", "von", "der",
    "den", "la", "le", "du",
];

/// Capitalised words that start a sentence rather than a name; dropped from
/// the front of a noun phrase.
pub(super) const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "yesterday",
    "today",
    "tonight",
    "later",
    "earlier",
    "meanwhile",
    "however",
    "also",
    "then",
    "but",
    "and",
    "so",
    "when",
    "after",
    "before",
    "as",
    "in",
    "on",
    "at",
    "for",
    "while",
    "if",
    "speaking",
    "responding",
    "both",
    "another",
    "one",
    "each",
    "all",
    "some",
    "many",
    "several",
    "most",
    "other",
    "others",
    "such",
    "no",
];

/// Lower-case words that end a role in front of a name: a role such as
/// `committee member` may precede the speaker's name, but `the report by`
/// or `a spokeswoman for` make the name something else than the subject.
pub(super) const ROLE_BREAKERS: &[&str] = &[
    "by", "to", "with", "about", "from", "for", "in", "on", "at", "that", "which", "who", "whom",
    "whose", "than", "as", "or", "but", "and", "if", "when", "because", "while", "after", "before",
    "not", "no", "said", "says",
];

/// Words that may follow a speech verb after a quote (`said in a
/// statement`, `said on Tuesday`).
pub(super) const COMPLEMENT_STARTS: &[&str] = &[
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "to",
    "from",
    "via",
    "while",
    "when",
    "as",
    "later",
    "earlier",
    "yesterday",
    "today",
    "last",
    "this",
    "again",
    "following",
    "ahead",
    "outside",
    "inside",
    "afterwards",
    "separately",
];

/// Abbreviations whose full stop does not end a sentence.
pub(super) const DOTTED: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "maj", "brig", "adm", "col", "lt",
    "sgt", "capt", "cmdr", "supt", "insp", "det", "st", "jr", "sr", "rev", "hon", "u.s", "u.k",
    "u.n", "e.u", "a.m", "p.m",
];

/// Final words of institutions: `Foreign Ministry` and `Defense Ministry`
/// share a last word but are different speakers.
pub(super) const INSTITUTION_WORDS: &[&str] = &[
    "office",
    "ministry",
    "department",
    "party",
    "government",
    "committee",
    "council",
    "agency",
    "house",
    "court",
    "forces",
    "army",
    "police",
    "service",
    "union",
    "bank",
    "commission",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "minister",
    "president",
];

/// Words that make a title of several words with a title after them
/// (`Prime Minister`, `Foreign Secretary`, `Attorney General`).
pub(super) const TITLE_MODIFIERS: &[&str] = &[
    "prime",
    "deputy",
    "vice",
    "foreign",
    "defence",
    "defense",
    "finance",
    "interior",
    "attorney",
    "home",
    "chief",
    "acting",
    "health",
    "justice",
    "trade",
    "first",
    "senior",
    "secretary",
];

/// Titles: a name may follow them (`Minister Helena Varga`), and `of`
/// after them is part of the title (`Secretary of State`), not an
/// affiliation.
pub(super) const TITLE_WORDS: &[&str] = &[
    "secretary",
    "director",
    "officer",
    "chief",
    "head",
    "leader",
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "member",
    "governor",
    "mayor",
    "speaker",
    "executive",
    "commissioner",
    "ambassador",
    "general",
    "manager",
    "editor",
    "coach",
    "captain",
    "councillor",
    "councilor",
    "senator",
    "judge",
    "prosecutor",
    "inspector",
    "superintendent",
    "harbourmaster",
    "mk",
];

/// Titles of persons that a description may take from a name: `the
/// president` is the person the text called `President ...`.
pub(super) const PERSON_TITLES: &[&str] = &[
    "president",
    "minister",
    "premier",
    "chancellor",
    "senator",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
];

/// Plural nouns for groups of people, which name no one even when a
/// sentence starts with them (`Officials said ...`, `Authorities warned
/// ...`): the group is a description, never a name to carry to the next
/// quotes.
pub(super) const GROUP_NOUNS: &[&str] = &[
    "officials",
    "authorities",
    "police",
    "witnesses",
    "residents",
    "experts",
    "analysts",
    "critics",
    "prosecutors",
    "investigators",
    "sources",
    "scientists",
    "researchers",
    "doctors",
    "organizers",
    "organisers",
    "protesters",
    "demonstrators",
    "activists",
    "lawmakers",
    "observers",
    "diplomats",
    "officers",
    "rescuers",
    "forecasters",
    "economists",
    "campaigners",
    "supporters",
    "opponents",
    "villagers",
    "locals",
    "survivors",
    "relatives",
    "neighbours",
    "neighbors",
    "parents",
    "students",
    "workers",
    "firefighters",
    "troops",
    "soldiers",
    "rebels",
    "militants",
    "journalists",
    "reporters",
    "voters",
    "fans",
    "leaders",
    "ministers",
    "members",
];

/// Nouns for someone defined by who they are to someone else (`the mother
/// of X`, `X's lawyer`): the person named with them is not the speaker.
pub(super) const RELATION_NOUNS: &[&str] = &[
    "mother",
    "father",
    "parents",
    "wife",
    "husband",
    "widow",
    "son",
    "daughter",
    "brother",
    "sister",
    "family",
    "relatives",
    "lawyer",
    "lawyers",
    "attorney",
    "attorneys",
    "friend",
    "friends",
    "girlfriend",
    "boyfriend",
    "partner",
    "uncle",
    "aunt",
    "cousin",
    "grandmother",
    "grandfather",
    "neighbour",
    "neighbor",
    "aide",
    "aides",
    "spokesman",
    "spokeswoman",
    "spokesperson",
];
