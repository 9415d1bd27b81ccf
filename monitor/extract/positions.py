"""Positions read from the parse: who holds which stance on which topic, and whether it is news of a change.

A topic phrase carries a stance only through the word that governs it: walking up the parse from the
topic's head through objects, prepositions and verb complements ("would stop [buying [French arms]]"),
the first stance word reached (support / oppose lemmas of the lexicon) decides, flipped by its negation.
A noun on the way that is not a stance word ends the walk: "championed a new approach to the war on
drugs" is a stance on an approach, not on the war on drugs, and is not read.
The holder is the stance word's subject, or the speaker of the clause reporting it when that subject is
a pronoun or the speaker's own ("his government"). Conditional clauses (if, unless) hold no position.
A position is complete when the holder is a profile actor read this way and a stance word governs the
topic; only complete positions are compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from monitor.extract import grammar as g
from monitor.models import Position, Stance
from monitor.profile import TopicProfile

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PRONOUNS = {"he", "she", "it", "they", "we", "i", "his", "her", "its", "their", "our", "my"}
# Links a stance passes through on its way from the stance word down to the topic phrase.
_PASSABLE = {
    "dobj",
    "obj",
    "pobj",
    "prep",
    "xcomp",
    "pcomp",
    "conj",
    "compound",
    "amod",
    "nsubjpass",
    "acomp",
    "attr",
    "oprd",
    "nmod",
    "poss",
    "appos",
    "dative",
    "agent",
}
_FUTURE = {"will", "would", "'ll", "wo", "shall"}
_PERSONAL = {"he", "she", "his", "her", "him"}
MAX_WALK = 7
# Verbs through which a commitment passes unchanged to the topic verb ("would go on / keep buying").
_CONTINUING = {"go", "keep", "continue", "carry"}


class PositionReader:
    """Reads the positions of one parsed sentence against the profile's topics."""

    def __init__(self, profile: TopicProfile) -> None:
        self.profile = profile
        stance = profile.lexicon.stance
        self.support = {w.lower() for w in stance.get("support", []) if " " not in w}
        self.oppose = {w.lower() for w in stance.get("oppose", []) if " " not in w}
        self.phrasal_support = _phrasal(stance.get("support", []))
        self.phrasal_oppose = _phrasal(stance.get("oppose", []))
        self.negations = {w.lower() for w in stance.get("negations", [])}
        self.refusing = {w.lower() for w in stance.get("refusing_words", [])}
        self.others_voices = {w.lower() for w in stance.get("others_voices", [])}
        self.untrue = {w.lower() for w in stance.get("untrue_words", [])}
        self.unrealized = {w.lower() for w in stance.get("unrealized_words", [])}
        self.change = profile.lexicon_index("stance", "change_markers")
        self.historical = profile.lexicon_index("stance", "historical_markers")
        grammar = profile.lexicon.grammar
        self.report = {w.lower() for w in grammar.get("report_verbs", [])}
        self.conditions = {w.lower() for w in grammar.get("conditions", [])}
        self.adjunct_preps = {w.lower() for w in grammar.get("adjunct_prepositions", [])}
        self.obligation = {w.lower() for w in grammar.get("obligation", [])}
        self.deliberation = {w.lower() for w in grammar.get("deliberation", [])}
        self.obliged_subject = {w.lower() for w in grammar.get("obliged_subject_verbs", [])}
        self.evaluative = {w.lower() for w in grammar.get("evaluative_verbs", [])}
        self.naming = {w.lower() for w in grammar.get("naming_verbs", [])}
        self.doing_verbs = {w.lower() for w in grammar.get("doing_verbs", [])}
        self.referents: Mapping[str, str] = {}
        self.judged_wrong = {w.lower() for w in stance.get("judged_wrong", [])}
        self.judged_right = {w.lower() for w in stance.get("judged_right", [])}
        self.carriers = {w.lower() for w in grammar.get("carrier_nouns", [])}
        self._doings = {t.name: frozenset(v.lower() for v in t.verbs) for t in profile.topics}

    def read(
        self,
        doc: Doc,
        context: str | None,
        referents: Mapping[str, str] | None = None,
        published: date | None = None,
    ) -> list[Position]:
        """The positions of one sentence; `context` is who the text was just about, `referents` whom a
        bare title ("the minister") stands for in this article, `published` when the article appeared."""
        self.referents = referents or {}
        text = doc.text
        if not text.rstrip().endswith((".", "!", "?", '"', "'", ")")):
            return []  # a headline or section heading states no one's position
        if g.is_question(doc):
            return []  # "Would Smith back spraying?": a question takes no position
        actor_spans = [(m.start, m.end) for m in self.profile.actor_index.find(text)]
        out: list[Position] = []
        seen: set[tuple[str, str]] = set()
        found: list[tuple[str, Span, tuple[Token, int] | None]] = []
        for topic in self.profile.topic_index.find(text):
            if any(s <= topic.start and topic.end <= e for s, e in actor_spans):
                continue  # a topic word inside a name ("Marshall Plan")
            span = doc.char_span(topic.start, topic.end, alignment_mode="expand")
            if span is not None and self._concerns_another(span.root, topic.key):
                continue  # "purchases of Israeli weapons", "sanctions on Venezuela": another topic
            if span is not None:
                reading = self._stance(span.root, span, self._doings.get(topic.key, frozenset()))
                if reading is None and span.root.pos_ == "VERB":
                    reading = self._doing(span.root)  # "would no longer be supplied by Paris"
                found.append((topic.key, span, reading))
        for key, verb in self._topic_verbs(doc):
            found.insert(0, (key, doc[verb.i : verb.i + 1], self._doing(verb)))
        for topic_key, span, reading in found:
            if reading is None:
                continue
            cue, polarity = reading
            if self._conditional(cue) or self._unstated(cue):
                continue
            demanded, demander = self._demand(cue, context)
            holder, gap = (demander, "") if demanded else self._holder(cue, context, span)
            if holder is None:
                continue  # "the city will need to continue the ban": a demand no one is named making
            is_change = self._reports_change(cue, text)
            historical = not is_change and (
                self._placed_in_the_past(doc, cue) or _past_perfect(cue) or _in_an_earlier_year(cue, published)
            )
            if (holder, topic_key) in seen:
                # "Smith, who once backed X, now rejects it": the stance of now, not the one it replaced
                earlier = [i for i, p in enumerate(out) if (p.actor, p.topic) == (holder, topic_key)]
                if historical or not earlier or not out[earlier[0]].historical:
                    continue
                out.pop(earlier[0])
            seen.add((holder, topic_key))
            stance: Stance = "support" if polarity > 0 else "oppose"
            out.append(
                Position(
                    actor=holder,
                    topic=topic_key,
                    stance=stance,
                    is_change=is_change,
                    historical=historical,
                    complete=not gap,
                    gaps=gap,
                    evidence=text,
                )
            )
        return out

    # ---------------------------------------------------------------- the stance word

    def _topic_verbs(self, doc: Doc) -> list[tuple[str, Token]]:
        """Verbs that do a topic ("buy" with "arms" for buying arms)."""
        out = []
        for t in doc:
            if t.pos_ != "VERB":
                continue
            for topic in self.profile.topics:
                if t.lemma_.lower() not in topic.verbs:
                    continue
                objects = [o for c in g.children(t, "dobj", "obj", "nsubjpass") for o in g.conjuncts(c)]
                if any(self._concerns_another(o, topic.name) for o in [t, *objects]):
                    continue  # "bought weapons from Ruritania", "bought Ruritanian helicopters"
                if not topic.objects or any(
                    o.lemma_.lower() in topic.objects or o.lower_ in topic.objects for o in objects
                ):
                    out.append((topic.name, t))
                    break
        return out

    def _concerns_another(self, head: Token, topic: str) -> bool:
        """Whether the topic's word is said of an actor the topic is not about: a country or actor named as
        its modifier ("Israeli weapons", "Ruritania's arms"), or after "on", "against", "from", "of", "by"
        (on the word or on a participle describing it: "sanctions imposed on Ruritania")."""
        about = self.profile.topic_by_name[topic].about if topic in self.profile.topic_by_name else []
        if not about:
            return False
        named: list[Token] = []
        for c in head.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                named.append(c)
            preps = [c] if c.dep_ in ("prep", "agent") else (g.children(c, "prep", "agent") if c.dep_ == "acl" else [])
            for prep in preps:
                if prep.lower_ in ("on", "against", "from", "of", "by"):
                    named += [o for pobj in g.children(prep, "pobj") for o in g.conjuncts(pobj)]
        for t in named:
            names = {m.key for m in self.profile.actor_index.find(g.phrase(t).text)}
            if t.lower_ in self.profile.actor_by_adjective:
                names.add(self.profile.actor_by_adjective[t.lower_])
            if not names and t.pos_ == "ADJ":  # "Ruritanian": the actors whose names it opens
                names = {a.name for a in self.profile.actors for alias in a.aliases if alias.startswith(t.text + " ")}
            if names:
                if not any(self.profile.same_country(n, a) for n in names for a in about):
                    return True
            elif t.pos_ == "PROPN" or (t.pos_ == "ADJ" and t.text[:1].isupper() and t.i > 0):
                return True  # a name or a nationality the profile does not know ("Israeli", "European")
        return False

    def _doing(self, verb: Token) -> tuple[Token, int] | None:
        """The stance of a clause that does the topic: a stance word above it decides ("stop buying");
        else a committed future is support and its negation opposition ("would (not) buy")."""
        above = self._stance(verb, verb.doc[verb.i : verb.i + 1])
        if above is not None:
            return above
        clause = g.clause_of(verb)
        chain = [verb] if verb.i == clause.i else [verb, clause]
        t = verb
        while t.dep_ in ("xcomp", "pcomp", "prep", "pobj") and t.head.i != t.i and len(chain) < 5:
            t = t.head
            chain.append(t)  # "would go on buying": the auxiliaries sit on "go"
        if any(v.pos_ == "VERB" and v.lemma_.lower() not in _CONTINUING for v in chain[1:]):
            return None  # "would cease buying", "would avoid buying": an unknown verb between may turn it round
        aux = {c.lower_ for v in chain for c in v.children if c.dep_ in ("aux", "neg", "advmod")}
        committed = (
            aux & (_FUTURE | {"keep", "continue"})
            or any(v.lemma_ in ("keep", "continue") for v in chain)
            or any(_going_to(v) for v in chain[1:])
        )
        if not committed and not _own_practice(chain[-1]):
            return None
        negated = any(c.dep_ == "neg" or c.lower_ in self.negations for v in chain for c in v.children)
        obj = g.object_of(verb)
        if obj is not None and g.denied(obj, self.negations):
            negated = True  # "will buy no more American weapons"
        if any(c.lower_ == "longer" for v in chain for c in v.subtree if c.dep_ == "advmod"):
            negated = True
        return chain[-1], -1 if negated else 1

    def _polarity(self, token: Token) -> int:
        lemma, word = token.lemma_.lower(), token.lower_
        # "brought back", "ruled out": the particle, or the same word parsed as an adverb
        particles = {c.lower_ for c in token.children if c.dep_ in ("prt", "advmod")}
        if lemma in self.support or word in self.support or any((lemma, p) in self.phrasal_support for p in particles):
            return 1
        if lemma in self.oppose or word in self.oppose or any((lemma, p) in self.phrasal_oppose for p in particles):
            return -1  # "ruled out a return to spraying": the phrasal verb "rule out"
        return 0

    def _stance(self, head: Token, span: Span, doing: frozenset[str] = frozenset()) -> tuple[Token, int] | None:
        """Walk up from the topic to the first stance word; None when something else governs it. A noun
        of the topic's own doing passes ("purchases of American weapons would stop")."""
        t = head
        for _ in range(MAX_WALK):
            if t.dep_ not in _PASSABLE and t.dep_ != "nsubj":
                return None
            if t.dep_ == "prep" and t.lower_ in self.adjunct_preps:
                return None  # "suspended purchases following the sanctions": not a stance on it
            link, t = t.dep_, t.head
            if link == "conj" and t.pos_ in ("VERB", "AUX"):
                return None  # "... was meddling and should be sanctioned": two clauses, two stances
            if link == "conj":
                continue  # "a travel ban and visa sanctions": a list, the first item does not judge the next
            polarity = self._polarity(t)
            if polarity:
                if link == "nsubj" and t.pos_ == "VERB" and polarity > 0 and g.object_of(t) is not None:
                    return None  # "aid supports farmers": the topic acts, it is not judged
                # "extraditions have continued" tells what happened, not what someone wants ("purchases
                # would stop" announces a policy; "the war on drugs has failed" judges it)
                told = t.pos_ == "VERB" and t.lemma_ not in self.evaluative and not self._announced(t)
                if link == "nsubj" and told and g.object_of(t) is None:
                    return None
                if link == "nsubjpass" and told and g.agent_of(t) is None:
                    return None  # "the program has been suspended": done by no one named, a fact
                if any(c.dep_ == "xcomp" for c in t.children) and polarity < 0 and t.lemma_ in self.evaluative:
                    return None  # "failed to meet eradication goals" judges no topic
                return t, polarity * self._negation(t)
            if link == "nsubj" and t.lemma_ == "be":
                judged = self._judgement(t)
                if judged:  # "the embargo was an interference", "the strikes are illegal, she said"
                    return t, judged * self._negation(t)
            if link == "nsubj":
                return None
            if link == "compound" and t.lemma_.lower() in self.carriers:
                continue  # "opposition to crop eradication efforts": the efforts are the eradication
            if link == "dobj" and t.pos_ == "VERB":
                judged = self._complement_polarity(t)
                if judged:  # "called the strikes murder", "described the policy as a failure"
                    return t, judged * self._negation(t)
                if t.lemma_.lower() in self.doing_verbs:
                    return self._doing(t)  # "would keep signing extraditions": carrying the topic out
            if t.pos_ in ("NOUN", "PROPN") and link not in ("conj", "appos") and t.lemma_.lower() not in doing:
                return None  # "a new approach to [the war on drugs]", "eradication goals": about something else
            if t.head.i == t.i:
                return None
        return None

    @staticmethod
    def _announced(verb: Token) -> bool:
        """A future or a modal on the verb: a policy announced ("purchases would stop"), not a fact told."""
        clause = g.clause_of(verb)
        return any(
            c.dep_ == "aux" and (c.tag_ == "MD" or c.lower_ in _FUTURE) for v in (verb, clause) for c in v.children
        )

    def _judgement(self, copula: Token) -> int:
        """What a copula's complement says of its subject: an evaluative adjective or noun of the lexicon's
        judgements ("is unfair", "was an interference", "are an illegal act"); an action noun ("is not the
        end of cooperation") judges nothing."""
        for c in copula.children:
            if c.dep_ not in ("acomp", "attr"):
                continue
            for word in (c, *(m for m in c.children if m.dep_ == "amod")):
                judged = self._judged(word)
                if judged:
                    return judged
        return 0

    def _judged(self, word: Token) -> int:
        """-1 for a word of the lexicon's wrongs ("murder", "illegal"), 1 for its rights, else 0."""
        lemma = word.lemma_.lower()
        if lemma in self.judged_wrong or word.lower_ in self.judged_wrong:
            return -1
        if lemma in self.judged_right or word.lower_ in self.judged_right:
            return 1
        return 0

    def _complement_polarity(self, verb: Token) -> int:
        """The judgement an object complement passes on the object: "called X [murder]", "X [as a failure]"."""
        complements = [c for c in verb.children if c.dep_ in ("oprd", "xcomp", "acomp", "ccomp") and c.i > verb.i]
        obj = g.object_of(verb)  # "described [the strikes as killings]": the parser may hang "as" on the object
        for prep in [*verb.children, *(obj.children if obj is not None else [])]:
            if prep.dep_ == "prep" and prep.lower_ == "as":
                complements += g.children(prep, "pobj")
        for c in complements:
            polarity = self._polarity(c) or self._judged(c)  # "described the strikes as killings"
            if polarity:
                return polarity
        if verb.lemma_.lower() in self.naming and not complements:
            return self._closing_judgement(verb)
        return 0

    def _closing_judgement(self, verb: Token) -> int:
        """The parser often hangs a bare complement inside the object ("called the strikes in the Caribbean
        [murder]" as if "Caribbean murder" were a place): a bare judgement noun closing the object is it."""
        obj = g.object_of(verb)
        if obj is None:
            return 0
        last = max((t for t in obj.subtree if not t.is_punct), key=lambda t: t.i)
        if last.i == obj.i or last.pos_ != "NOUN" or last.nbor(-1).dep_ in ("det", "poss", "case"):
            return 0  # "called the ambassador over the murder": a noun with its own determiner is no complement
        return self._judged(last)

    def _demand(self, cue: Token, context: str | None) -> tuple[bool, str | None]:
        """Whether the stance word is demanded of its subject (need / must / should, urged to), and who
        demands it: the speaker of the modal, or the subject of the demanding verb ("Smith urged Ruritania
        to resume spraying" is Smith's support). Under consider / weigh it is not taken yet: no one's."""
        governors = list(g.governors(cue))
        if any(v.lemma_.lower() in self.deliberation for v in governors):
            return True, None
        clause = g.clause_of(cue)
        sharing = [clause]  # "must keep spraying and expand Y": the verbs joined to the modal's verb share it
        while sharing[-1].dep_ in ("conj", "xcomp") and len(sharing) < 6:
            sharing.append(g.clause_of(sharing[-1].head))
        modal = any(
            c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ in self.obligation for v in sharing for c in v.children
        )
        obliging = next((v for v in governors if v.lemma_.lower() in self.obligation), None)
        if modal or (obliging is not None and obliging.lemma_.lower() in self.obliged_subject):
            above = clause if modal or obliging is None else obliging
            speakers = [
                v for v in g.reporting_verbs(above, self.report) if v.i not in {above.i, *(x.i for x in sharing)}
            ]
            return True, self._demander(speakers[0], context) if speakers else None
        if obliging is not None:
            return True, self._demander(obliging, context)
        return False, None

    def _demander(self, verb: Token, context: str | None) -> str | None:
        subject = g.agent_of(verb) if g.is_passive(verb) else g.subject_of(verb)
        if subject is None:
            return None
        if subject.lower_ in PRONOUNS:
            name, gap = self._speaker(verb, context)
        else:
            name, gap = self._name(subject)
        return None if gap else name

    def _negation(self, cue: Token) -> int:
        """-1 when the stance word or its auxiliary chain is negated ("would not resume", "no longer")."""
        words = [c for c in cue.children if c.dep_ in ("neg", "advmod", "aux", "det")]
        clause = g.clause_of(cue)
        if clause.i != cue.i:
            words += [c for c in clause.children if c.dep_ in ("neg", "advmod")]
        negated = any(c.dep_ == "neg" or c.lower_ in self.negations for c in words)
        if any(c.lower_ == "longer" for c in cue.subtree if c.i < cue.i and c.dep_ == "advmod"):
            negated = True
        if cue.dep_ in ("xcomp", "pcomp", "dobj") and self._polarity(cue.head) < 0:
            negated = not negated  # "refused to accept", "stopped supporting", "opposed any return to"
        if self._refused_above(cue):
            negated = not negated
        if self._neither(cue):
            negated = not negated
        return -1 if negated else 1

    @staticmethod
    def _neither(cue: Token) -> bool:
        """ "Neither Smith nor his ministers oppose X", "Smith supports neither X nor Y": a "neither" that
        opens the stance word's subject or object."""
        clause = g.clause_of(cue)
        held = [t for t in (g.subject_of(clause), g.object_of(cue)) if t is not None]
        return any(c.lower_ == "neither" and c.dep_ in ("preconj", "det") for t in held for c in t.children)

    def _complemented(self, cue: Token) -> list[Token]:
        """The verbs and adjectives the stance word completes, nearest first ("refused to consider [a
        return]", "was unable to propose [returning]"); reported speech ("did not say ...") is not one."""
        heads: list[Token] = []
        t = cue
        for _ in range(4):
            if t.dep_ not in ("xcomp", "pcomp", "dobj", "acomp", "pobj", "prep") or t.head.i == t.i:
                break
            t = t.head
            if t.pos_ in ("VERB", "AUX", "ADJ"):
                heads.append(t)
        return heads

    def _refused_above(self, cue: Token) -> bool:
        """ "declined to back X", "refused to consider a return to X": a refusal above the stance word turns
        it (one right above it was weighed by its polarity)."""
        refusals = [
            h
            for depth, h in enumerate(self._complemented(cue))
            if h.lemma_.lower() in self.refusing and (depth > 0 or self._polarity(h) >= 0)
        ]
        return len(refusals) % 2 == 1

    def _unstated(self, cue: Token) -> bool:
        """A stance word under a verb that is denied or not carried out states no stance: "did not propose
        returning to X", "has never proposed a return", "was unable to propose returning", "…, nor to
        propose returning to X"; nor one a clause above calls untrue ("it is not true that Smith backs X",
        "claims that Smith backs X are false")."""
        for verb in g.governors(cue):
            if verb.lemma_ != "be":
                continue
            judged = {c.lower_ for c in verb.children if c.dep_ == "acomp"}
            if judged & self.untrue or ("true" in judged and g.negated(verb)):
                return True
        for head in self._complemented(cue):
            near = [c for c in head.children if c.dep_ in ("neg", "advmod", "aux")]
            if any(c.dep_ == "neg" or c.lower_ in self.negations for c in near):
                return True
            if head.lemma_.lower() in self.unrealized:
                return True
            if head.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ == "nor" for c in head.head.children):
                return True
        return False

    def _conditional(self, cue: Token) -> bool:
        """A stance inside a condition ("if Smith backs X") is no position taken. What follows from a
        condition is one ("prepared to resume spraying if that was what it took")."""
        for t in (cue, *g.governors(cue)):
            if any(c.dep_ == "mark" and c.lower_ in self.conditions for c in t.children):
                return True
        return False

    # ---------------------------------------------------------------- the holder

    def _holder(self, cue: Token, context: str | None, topic: Span) -> tuple[str | None, str]:
        """The stance word's subject, or the reporting speaker when that subject is a pronoun or the
        topic itself ("the war on drugs has failed, she said")."""
        if cue.pos_ in ("NOUN", "PROPN"):
            return self._noun_holder(cue, context)
        accused = self._accused(cue)
        if accused is not None:  # "Jones accused Smith of opposing X": Jones's claim about Smith
            return self._name(accused)[0], "holder-reported"
        subject = g.agent_of(cue) if g.is_passive(cue) else g.subject_of(cue)
        if subject is None or topic.start <= subject.i < topic.end:
            return self._speaker(cue, context)
        if subject.lower_ in PRONOUNS or any(c.dep_ == "poss" and c.lower_ in PRONOUNS for c in subject.children):
            return self._speaker(cue, context)
        named, gap = self._name(subject)
        if self._said_by_others(cue):
            return named, "holder-reported"  # "critics say Smith opposes X": their account, not Smith's word
        speaker, speaker_gap = self._speaker(cue, context)
        if speaker is not None and not speaker_gap and self._speaks_for(speaker, named):
            return speaker, ""  # "the minister said the country would not buy ...": the minister's stance
        if speaker is not None and named is not None and not self.profile.same_country(speaker, named):
            return named, "holder-reported"  # "Jones said Smith wants to end X": Jones's claim, not Smith's word
        return named, gap

    def _placed_in_the_past(self, doc: Doc, cue: Token) -> bool:
        """A marker of the past ("once", "in the past", "used to") in the stance's own clause, or in the
        clause it completes ("used to back"): not one in another clause ("opposed sharing, arguing that
        the data could be used to target boats")."""
        clause = g.clause_of(cue)
        for found in self.historical.find(doc.text):
            span = doc.char_span(found.start, found.end, alignment_mode="expand")
            if span is None:
                continue
            marked = _clause_of_word(span[0])
            if marked.i == clause.i or (clause.dep_ == "xcomp" and clause.head.i == marked.i):
                return True
        return False

    @staticmethod
    def _accused(cue: Token) -> Token | None:
        """ "Jones accused Smith of opposing X", "blamed Smith for backing X": a gerund after "of" / "for"
        whose verb has an object tells what that object is said to do."""
        while cue.dep_ == "conj" and cue.head.i != cue.i:
            cue = cue.head  # "accused Smith of backing X and opposing Y"
        if cue.dep_ != "pcomp" or cue.head.dep_ != "prep" or cue.head.lower_ not in ("of", "for"):
            return None
        verb = cue.head.head
        if verb.pos_ != "VERB":
            return None
        return g.object_of(verb)

    def _said_by_others(self, cue: Token) -> bool:
        """The stance is told by people the lexicon names as others' voices ("critics", "Republicans",
        "analysts") reporting it: their account of the holder, not the holder's word."""
        for verb in g.reporting_verbs(cue, self.report):
            speaker = g.subject_of(verb)
            if speaker is None:
                return False
            return bool({speaker.lemma_.lower(), speaker.lower_.rstrip("s")} & self.others_voices)
        return False

    def _speaks_for(self, speaker: str, subject: str | None) -> bool:
        """A speaker states the policy of their own side: the subject names no actor, or their government."""
        if subject is None:
            return True
        said_by = self.profile.actor_by_name.get(speaker)
        about = self.profile.actor_by_name.get(subject)
        if said_by is None or about is None or said_by.name == about.name:
            return said_by is not None and about is not None
        return about.kind == "government" and said_by.country == about.name

    def _noun_holder(self, noun: Token, context: str | None) -> tuple[str | None, str]:
        """ "Smith's opposition to X", "Smith voiced opposition to X", "Smith, a critic of X"."""
        for c in noun.children:
            if c.dep_ == "poss" and c.lower_ not in PRONOUNS:
                return self._name(c)
        if noun.dep_ == "appos":
            return self._name(noun.head)
        for c in noun.children:
            if c.dep_ == "appos" and self._name(c)[0] is not None:
                return self._name(c)  # "opposition to X, Smith's" (not "a return to X, a practice ...")
        verb = noun.head
        if noun.dep_ in ("dobj", "attr") and verb.pos_ in ("VERB", "AUX"):
            subject = g.subject_of(verb)
            if subject is not None and subject.lower_ not in PRONOUNS:
                return self._name(subject)
            return self._speaker(verb, context)
        fronted = noun.dep_ == "advcl" and noun.i < verb.i  # parsed as a clause: "A critic of X, Smith spoke"
        if (noun.dep_ in ("npadvmod", "nsubj") or fronted) and verb.pos_ in ("VERB", "AUX"):
            others = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != noun.i]
            subject = others[0] if others else g.subject_of(verb)
            if subject is not None and subject.i != noun.i and subject.lower_ not in PRONOUNS:
                return self._name(subject)  # "A critic of X, Smith denounced ..."
        return None, "holder"

    def _speaker(self, cue: Token, context: str | None) -> tuple[str | None, str]:
        for verb in g.reporting_verbs(cue, self.report):
            if not g.reliably_joined(verb):
                return None, "holder"  # "X recalled …, a day after Trump called … and said …": whose "said"?
            subject = g.subject_of(verb)
            if subject is None:
                return None, "holder"
            if subject.lower_ in PRONOUNS:
                return self._antecedent(subject, context)
            return self._name(subject)
        subject = g.subject_of(g.clause_of(cue))
        if subject is not None and subject.lower_ in PRONOUNS and subject.i == 0:
            return self._antecedent(subject, context)  # "He rejected ...": the last sentence's subject
        return None, "holder"

    def _antecedent(self, pronoun: Token, context: str | None) -> tuple[str | None, str]:
        """Who the text was just about, when the pronoun can stand for them: "he" / "she" only for a person
        (or an agency, which the profile may name by its minister)."""
        actor = self.profile.actor_by_name.get(context) if context else None
        if actor is None or (pronoun.lower_ in _PERSONAL and actor.kind not in ("person", "agency")):
            return None, "holder"
        return actor.name, ""

    def _name(self, token: Token) -> tuple[str | None, str]:
        name, why = g.named_actor(self.profile.actor_index, token, self.referents)
        return name, "holder" if why else ""

    # ---------------------------------------------------------------- in time

    @staticmethod
    def _said_of_clause(cue: Token, start: int, end: int) -> bool:
        """Whether words of the sentence (a change marker) can speak of the stance: not across the edge of
        a relative clause ("Smith, who once favored X, now rejects it": the "now" is not the relative
        clause's, and a marker inside one describes its noun)."""
        span = cue.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return True
        return _relative_clause(span[0]) == _relative_clause(cue)

    def _reports_change(self, cue: Token, text: str) -> bool:
        """The article reports a change of position ("now rejects", "has since become a critic");
        "would no longer buy" announces a policy, it is not news of a changed mind."""
        markers = [m for m in self.change.find(text) if self._said_of_clause(cue, m.start, m.end)]
        if not markers:
            return False
        future = any(c.lower_ in _FUTURE for c in g.clause_of(cue).children if c.dep_ == "aux")
        return not (future and all(m.text.lower() == "no longer" for m in markers))


def _phrasal(words: list[str]) -> set[tuple[str, str]]:
    """Two-word entries as (verb lemma, particle): "rule out"."""
    return {tuple(w.lower().split()) for w in words if len(w.split()) == 2}  # type: ignore[misc]


def _going_to(verb: Token) -> bool:
    """ "is (not) going to buy": a future as committed as "will"."""
    if verb.lemma_ != "go" or verb.tag_ != "VBG":
        return False
    return any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children)


def _own_practice(verb: Token) -> bool:
    """ "We do not buy rifles from them", in quotes: a speaker stating their side's standing practice, in
    the present tense and the first person, is their stance on doing it."""
    subject = g.subject_of(verb)
    if subject is None or subject.lower_ not in ("we", "i"):
        return False
    if verb.tag_ not in ("VBP", "VB") or any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
        return False
    if verb.tag_ == "VB" and not any(c.dep_ == "aux" and c.lemma_ == "do" and c.tag_ == "VBP" for c in verb.children):
        return False  # a bare verb is present only under "do" ("we do not buy")
    return any(t.text in ('"', "“", "”") for t in verb.doc[: subject.i])


def _relative_clause(token: Token) -> int | None:
    """The index of the innermost relative or participle clause describing a noun that holds the token."""
    t = token
    for _ in range(40):
        if t.dep_ in ("relcl", "acl") and t.pos_ in ("VERB", "AUX"):
            return t.i
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _clause_of_word(token: Token) -> Token:
    """The clause a word belongs to; an auxiliary's is its verb's ("had" of "had backed")."""
    return g.clause_of(token.head if token.dep_ in ("aux", "auxpass", "neg") else token)


def _past_perfect(cue: Token) -> bool:
    """ "had backed": a stance the article places before the time it reports."""
    clause = g.clause_of(cue)
    return any(c.lower_ == "had" and c.dep_ == "aux" for c in clause.children) and clause.tag_ == "VBN"


def _in_an_earlier_year(cue: Token, published: date | None) -> bool:
    """ "In 2019, Smith supported spraying": a stance dated in a year before the article's is a past one
    ("since 2019" runs to now)."""
    if published is None:
        return False
    clause = g.clause_of(cue)
    for prep in (c for v in {cue, clause} for c in v.children if c.dep_ == "prep" and c.lower_ in ("in", "during")):
        for year in g.children(prep, "pobj"):
            if g.is_year(year) and int(year.text) < published.year:
                return True
    return False
