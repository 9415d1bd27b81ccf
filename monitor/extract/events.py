"""Event mentions read from the parse: the agent of an action's verb or noun, its patient, its date.

An action is found by what the word does, not by a literal phrase: a verb or noun whose lemma the
profile lists ("strike", "bomb", "attack"), acting on one of the action's objects when it names some
("boat", "vessel"). Then, from the grammar:
- actor: the subject of an active verb, the "by" phrase of a passive one, the owner or modifier of a noun
  ("the French raid", "Paris's sanction of the firm"); a pronoun is resolved only to the
  speaker of the clause that reports it;
- target: the object (the subject of a passive verb), or the owner of the action's object ("revoked
  Smith's licence", "the licence of Smith"); one mention per item of a list of targets;
- date: a date attached to the action's own clause, or to the verb that announces it when the action
  is announced ("said on Friday it would revoke"). A date attached to another noun ("a September 9
  report") or another clause ("halted purchases on Tuesday after X sanctioned Y") is not the event's.
Hypothetical actions (could, might, threatened to, if) are not events. Each mention says which parts
were read (`gaps` lists the missing ones): only complete mentions are compared.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from monitor.extract import grammar as g
from monitor.extract.dates import DATE_WORDS
from monitor.models import EventMention
from monitor.profile import Action, Actor, TopicProfile

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PRONOUNS = {"it", "they", "he", "she", "we", "i", "him", "them", "me", "us"}
OBJECT_PRONOUNS = {"him", "her", "them", "me", "us"}
ANNOUNCED_MODALS = {"will", "would", "'ll", "wo"}
# Verbs that, told of an envoy with no agent, can only mean the sending government called them home.
_RECALLING = {"recall", "call"}


@dataclass(frozen=True)
class Trigger:
    token: Token
    action: Action
    obj: Token | None  # the action's object when it names objects ("visa" of "revoke visa")
    undone: bool = False  # done by not doing ("would buy no more weapons")
    found: Token | None = None  # whom a finding is about ("determined that [X] had failed ...")


_PLACING_PREPOSITIONS = {"to", "on", "onto", "in", "into"}


class EventReader:
    """Reads the events of one parsed sentence against the profile's actions."""

    def __init__(self, profile: TopicProfile) -> None:
        self.profile = profile
        lex = profile.lexicon.grammar
        self.speech = {w.lower() for w in lex.get("report_verbs", [])}
        self.modals = {w.lower() for w in lex.get("modals", [])}
        self.intent = {w.lower() for w in lex.get("intent_verbs", [])}
        self.refusal = {w.lower() for w in lex.get("refusal_verbs", [])}
        self.conditions = {w.lower() for w in lex.get("conditions", [])}
        self.negations = {w.lower() for w in profile.lexicon.stance.get("negations", [])}
        self.past_markers = {w.lower() for w in lex.get("past_markers", [])}
        self.adjuncts = {w.lower() for w in lex.get("adjunct_prepositions", [])}
        self.commands = {w.lower() for w in lex.get("command_verbs", [])}
        self.restating = {w.lower() for w in lex.get("restating_verbs", [])}
        self.command_nouns = {w.lower() for w in lex.get("command_nouns", [])}
        self.doing = {w.lower() for w in lex.get("doing_verbs", [])}
        self.action_nouns = {n.lower() for a in profile.actions for n in a.nouns}
        occurring = {w.lower() for w in lex.get("occurring_verbs", [])}
        self.dating_verbs = self.doing | self.commands | self.speech | occurring | self.restating
        self.context: str | None = None
        self.referents: Mapping[str, str] = {}

    def read(
        self,
        doc: Doc,
        dates: list[tuple[int, int, date]],
        context: str | None = None,
        referents: Mapping[str, str] | None = None,
        published: date | None = None,
    ) -> list[EventMention]:
        """The event mentions of one sentence; `context` is who the text was just about ("his visa"),
        `referents` whom a bare title ("the minister") stands for in this article."""
        self.context = context
        self.referents = referents or {}
        if g.is_question(doc):
            return []  # "Will Smith sanction Jones on Friday?": a question reports no event
        out: list[EventMention] = []
        seen: set[tuple[str, str | None, str | None]] = set()
        for trigger in self._triggers(doc):
            if self._hypothetical(trigger.token, negation_does_it=trigger.undone):
                continue
            actor, actor_gap = self._actor(trigger)
            targets = self._targets(trigger, actor) or [(None, "target")]
            when, date_gap = self._date(trigger, doc, dates)
            announced = self._announced(trigger.token)
            previous = _previous_year(trigger.token, published)
            for target, target_gap in targets:
                key = (trigger.action.name, actor, target)
                if key in seen:
                    continue
                seen.add(key)
                gaps = [gap for gap in (actor_gap, target_gap, date_gap) if gap]
                out.append(
                    EventMention(
                        actor=actor,
                        action=trigger.action.name,
                        target=target,
                        event_date=when,
                        complete=not gaps,
                        gaps=",".join(gaps),
                        announced=announced,
                        previous_year=previous,
                        evidence=doc.text,
                    )
                )
        return out

    # ---------------------------------------------------------------- finding the action

    def _triggers(self, doc: Doc) -> list[Trigger]:
        found = []
        places: set[int] = set()  # the words of "its sanctions list" name where, not a second action
        for t in doc:
            for action in self.profile.actions:
                place = self._place(t, action) if t.pos_ == "VERB" and _lemma_in(t, action.placing_verbs) else None
                if place is not None:
                    found.append(Trigger(t, action, None))
                    places.update(w.i for w in place)
                    break
        for t in doc:
            if t.i in places or any(f.token.i == t.i for f in found):
                continue
            for action in self.profile.actions:
                about = self._finding_about(t, action)
                if about is not None:
                    found.append(Trigger(t, action, None, found=about))
                    break
                undone = self._undone_object(t, action)
                if undone is not None:
                    found.append(Trigger(t, action, undone, undone=True))
                    break
                if t.pos_ in ("VERB", "AUX") and _verb_in(t, action.verbs):
                    obj = self._verb_object(t, action)
                elif t.pos_ == "VERB" and _lemma_in(t, action.bare_verbs) and _bare(t):
                    obj = None
                elif t.pos_ in ("NOUN", "PROPN") and _lemma_in(t, action.nouns):
                    obj = self._noun_object(t, action)
                else:
                    continue
                if action.objects and obj is None:
                    continue
                found.append(Trigger(t, action, obj))
                break
        return found

    def _verb_object(self, verb: Token, action: Action) -> Token | None:
        """The noun the verb acts on, when it is one of the action's objects (through "stop buying X")."""
        if not action.objects:
            return None
        candidates = g.children(verb, "dobj", "obj", "nsubjpass", "oprd")  # "called home [its envoy]"
        for x in g.children(verb, "xcomp", "pcomp"):
            if _lemma_in(x, action.objects):
                return x
            candidates += g.children(x, "dobj", "obj")
        for prep in g.children(verb, "prep"):
            candidates += g.children(prep, "pobj")
        for c in candidates:
            for item in g.conjuncts(c):
                if _lemma_in(item, action.objects) or self._is_envoy_as(item, action):
                    return item
        subject = g.subject_of(verb)
        if subject is not None and subject.dep_ == "nsubjpass" and _lemma_in(subject, action.objects):
            return subject
        if subject is not None and _ergative(verb, subject) and _lemma_in(subject, action.objects):
            return subject  # "payments to Peru would stop": the object undergoes the action
        return None

    def _finding_about(self, verb: Token, action: Action) -> Token | None:
        """ "determined that X had failed demonstrably", "designated X as having failed demonstrably": a
        finding verb whose complement says one of the action's findings; whom it is about."""
        if verb.pos_ != "VERB" or not action.findings or not _lemma_in(verb, action.finding_verbs):
            return None
        for c in verb.children:
            if c.dep_ in ("ccomp", "xcomp", "oprd", "advcl"):
                if self._says_finding(c, action):
                    return g.subject_of(c) or g.object_of(verb)
            elif c.dep_ == "prep" and c.lower_ in ("as", "for") and self._says_finding(c, action):
                return g.object_of(verb)  # "designated X as having failed ..."
        return None

    @staticmethod
    def _says_finding(head: Token, action: Action) -> bool:
        text = _unquoted(g.subtree_span(head).text.lower())
        return any(f.lower() in text for f in action.findings)

    def _undone_object(self, verb: Token, action: Action) -> Token | None:
        """ "Ruritania would buy no more French rifles", "will no longer purchase arms": a doing of the
        action's undone verbs, negated, on one of its undone objects; the object."""
        if verb.pos_ != "VERB" or not action.undone_verbs or not _lemma_in(verb, action.undone_verbs):
            return None
        objects = [o for c in g.children(verb, "dobj", "obj") for o in g.conjuncts(c)]
        obj = next((o for o in objects if _lemma_in(o, action.undone_objects)), None)
        if obj is None:
            return None
        negated = g.negated(verb) or g.denied(obj, self.negations)
        no_longer = any(c.lower_ == "longer" and c.dep_ == "advmod" for c in verb.subtree if c.i < obj.i)
        # a refusal from now on, not a past not-doing ("did not buy rifles in 1990")
        committed = any(c.dep_ == "aux" and c.lower_ in ANNOUNCED_MODALS for c in verb.children) or _going_to(verb)
        return obj if no_longer or (negated and committed) else None

    @staticmethod
    def _place(verb: Token, action: Action) -> Span | None:
        """ "added the minister to [its sanctions list]": the place the verb puts its object, when it names one of
        the action's destinations."""
        obj = g.object_of(verb)
        if obj is None and not g.is_passive(verb):
            return None
        # the parser may hang "on its list" on the last item of a listed object ("placing X, his wife and
        # Y on its sanctions list")
        listed = (
            [p for item in obj.subtree if item.dep_ in ("appos", "conj") for p in g.children(item, "prep")]
            if obj is not None
            else []
        )
        for prep in [*g.children(verb, "prep"), *listed]:
            if prep.lower_ not in _PLACING_PREPOSITIONS:
                continue
            for item in (i for obj in g.children(prep, "pobj") for i in g.conjuncts(obj)):
                # with its clauses: "a list of nations that have failed ..." is named by what follows it
                place = g.subtree_span(item)
                text = _unquoted(place.text.lower())
                if any(d.lower() in text for d in action.destinations):
                    return place
        return None

    def _noun_object(self, noun: Token, action: Action) -> Token | None:
        """ "strike on a boat", "visa revocation", "a strike hit a boat"."""
        if not action.objects:
            return None
        for c in noun.children:
            if c.dep_ == "compound" and _lemma_in(c, action.objects):
                return c
            if c.dep_ == "prep":
                for obj in g.children(c, "pobj"):
                    if _lemma_in(obj, action.objects):
                        return obj
        if noun.dep_ in ("nsubj", "compound"):
            head = noun.head
            for obj in g.children(head, "dobj", "obj"):
                if _lemma_in(obj, action.objects):
                    return obj
            if _lemma_in(head, action.objects):
                return head
        return None

    def _hypothetical(self, trigger: Token, negation_does_it: bool = False) -> bool:
        """Could, might, threatened to, if: the action has not happened (an announced "would" has)."""
        clause = g.clause_of(trigger)
        negated = g.negated(clause) or (trigger.i != clause.i and g.negated(trigger))
        if negated and not negation_does_it:
            return True
        if any(c.dep_ == "mark" and c.lower_ in self.conditions for c in clause.children):
            return True
        is_argument = trigger.i != clause.i and trigger.dep_ in ("dobj", "nsubj", "nsubjpass", "attr")
        if is_argument and _lemma_in(clause, self.intent):
            return True
        modals = {c.lower_ for c in clause.children if c.dep_ == "aux"}
        # said, or ordered / announced by a noun ("Smith's announcement that X would stop ...")
        announced = any(_lemma_in(v, self.speech) for v in g.governors(clause)) or self._commander(clause) is not None
        if modals & self.modals and not (announced and modals <= self.modals & ANNOUNCED_MODALS):
            return True
        if modals & ANNOUNCED_MODALS and self._person_intends(clause):
            return True  # "Trump said he would impose tariffs": a person's intention, not a decision taken
        return any(_lemma_in(v, self.intent | self.refusal) for v in g.governors(clause, conjuncts=False))

    def _person_intends(self, clause: Token) -> bool:
        """A person (not a government or an agency) says what they will do."""
        subject = g.subject_of(clause)
        if subject is None:
            return False
        if subject.lower_ in ("he", "she", "i", "we"):
            return True
        return self._is_person(subject)

    def _is_person(self, token: Token) -> bool:
        name, _ = self._name(token)
        actor = self.profile.actor_by_name.get(name) if name else None
        return actor is not None and actor.kind == "person"

    # ---------------------------------------------------------------- who and to whom

    def _commander(self, t: Token) -> Token | None:
        """ "Smith ordered that the forces stop sharing intelligence": the verb that orders the action."""
        clause = g.clause_of(t)
        if clause.dep_ in ("ccomp", "xcomp") and _lemma_in(clause.head, self.commands):
            return clause.head
        if clause.dep_ == "acl" and _lemma_in(clause.head, self.command_nouns) and not _told_as_done(clause):
            return clause.head  # "Smith's Nov. 4 order suspending the sharing"
        return None

    def _actor(self, trigger: Trigger) -> tuple[str | None, str]:
        t = trigger.token
        commander = self._commander(t) if t.pos_ in ("VERB", "AUX") else None
        if commander is not None:  # who orders it does it
            if commander.pos_ == "NOUN":  # "Smith's order to ...", "this month's U.S. decision to ..."
                for owner in g.children(commander, "poss"):
                    named = self._speaker_of(commander) if _pronoun(owner, PRONOUNS) else self._name(owner)
                    if named[0] is not None:
                        return named
                return self._noun_agent(commander)
            subject = g.subject_of(commander)
            if subject is None:
                return None, "actor"
            return self._speaker_of(commander) if _pronoun(subject, PRONOUNS) else self._name(subject)
        if t.pos_ in ("VERB", "AUX"):
            agent = g.agent_of(t) if g.is_passive(t) else g.subject_of(t)
            if agent is None and g.is_passive(t):
                return self._sender_of_envoy(trigger)  # "Smith, its envoy, was called home on Monday"
            if agent is None:
                return None, "actor"
            if trigger.obj is not None and agent.i == trigger.obj.i:
                return self._announcer_of(t)  # "Trump said payments would stop": who announced it
            if _pronoun(agent, PRONOUNS):
                return self._speaker_of(t)
            if agent.pos_ in ("NOUN", "PROPN") and any(_lemma_in(agent, a.nouns) for a in self.profile.actions):
                return self._noun_agent(agent)  # "a U.S. strike hit a boat"
            return self._name(agent)
        return self._noun_agent(t)

    def _noun_agent(self, noun: Token) -> tuple[str | None, str]:
        """The doer named in a noun phrase: "French raid", "Paris's sanction of X" (or "on X"), "by X"."""
        has_patient = any(
            c.dep_ == "prep" and c.lower_ in ("of", "against", "on") and g.children(c, "pobj") for c in noun.children
        )
        for c in noun.children:
            if c.dep_ == "poss" and has_patient:
                return self._name(c)
            if c.dep_ in ("compound", "amod", "nmod"):
                name, gap = self._name(c)
                if name is not None:
                    return name, gap
            if c.dep_ == "prep" and c.lower_ == "by":
                for obj in g.children(c, "pobj"):
                    return self._name(obj)
        verb = noun.head if noun.dep_ in ("dobj", "obj") else None
        if verb is not None and verb.pos_ == "VERB" and not g.is_passive(verb) and _lemma_in(verb, self.doing):
            subject = g.subject_of(verb)  # "the ministry announced sanctions"
            if subject is not None and not _pronoun(subject, PRONOUNS):
                return self._name(subject)
        return None, "actor"

    def _announcer_of(self, t: Token) -> tuple[str | None, str]:
        """The speaker who announces an action told without its agent; only an announced one ("would")."""
        if not any(c.dep_ == "aux" and c.lower_ in ANNOUNCED_MODALS for c in t.children):
            return None, "actor"
        if not all(g.reliably_joined(v) for v in g.reporting_verbs(t, self.speech)):
            return None, "actor"
        return self._speaker_of(t)

    def _speaker_of(self, t: Token) -> tuple[str | None, str]:
        """ "The State Department said it would revoke ...": the pronoun is the speaker."""
        for verb in g.reporting_verbs(t, self.speech):
            subject = g.subject_of(verb)
            if subject is not None and not _pronoun(subject, PRONOUNS):
                return self._name(subject)
            return None, "actor"
        return None, "actor"

    def _targets(self, trigger: Trigger, actor: str | None) -> list[tuple[str | None, str]]:
        t = trigger.token
        if trigger.found is not None:
            return [self._name(item, "target") for item in g.conjuncts(trigger.found)]
        if trigger.obj is not None:
            # "U.S. payments would stop": without an owner named, a modifier of the subject is its giver
            owners = self._owners(trigger.obj, actor, modifiers=trigger.obj.dep_ != "nsubj")
            if trigger.undone:  # "would buy no more weapons from the United States": the seller
                owners = self._owners(t, actor, modifiers=False) or owners
            return owners or self._envoy_side(trigger, actor) or self._recipients(t, actor) or [(None, "target")]
        if t.pos_ in ("VERB", "AUX"):
            patient = g.subject_of(t) if g.is_passive(t) else g.object_of(t)
            if patient is None:
                return []
            if _pronoun(patient, OBJECT_PRONOUNS):
                return [self._speaker_of(t)]  # "Smith said the ministry fined him"
            return [self._name(item, "target") for item in g.conjuncts(patient)]
        patients = []
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "against", "on"):
                patients += g.children(c, "pobj")
        if not patients:
            patients = g.children(t, "poss")
        return [self._name(item, "target") for p in patients for item in g.conjuncts(p)]

    def _recipients(self, verb: Token, actor: str | None) -> list[tuple[str | None, str]]:
        """ "would stop all payments [to X]": the verb's "to" phrase names whom the object went to, when the
        object names no owner of its own."""
        if verb.pos_ not in ("VERB", "AUX"):
            return []
        named = [
            self._name(p, "target")
            for prep in g.children(verb, "prep")
            if prep.lower_ == "to"
            for p in g.children(prep, "pobj")
        ]
        return [(name, gap) for name, gap in named if name is not None and not self._same_side(name, actor)]

    def _owners(self, obj: Token, actor: str | None, modifiers: bool = True) -> list[tuple[str | None, str]]:
        """Whose the object is: "Smith's licence", "the licence of Smith", "arms from France", and "his
        licence" for the person the text was just about; a modifier ("the French licence") only when no
        owner is named."""
        found: list[tuple[str | None, str]] = []
        modifying: list[tuple[str | None, str]] = []
        # a gerund's own object carries the partner too: "stop sharing [intelligence with X]"
        doing = [d for d in g.children(obj, "dobj") if obj.pos_ == "VERB"]
        # ... and the gerund the object belongs to: "stop passing [intelligence] to X"
        carrier = obj.head if obj.dep_ in ("dobj", "obj") and obj.head.tag_ == "VBG" else None
        carried = [w for w in carrier.children if w.dep_ in ("prep", "dative")] if carrier is not None else []
        for c in [*obj.children, *(w for d in doing for w in d.children if w.dep_ == "prep"), *carried]:
            if c.dep_ == "poss" and c.lower_ in ("his", "her") and self._own(obj):
                continue  # "Smith recalled his ambassador": the subject's own, no one else's
            if c.dep_ == "poss" and c.lower_ in ("his", "her") and self.context is not None:
                person = self.profile.actor_by_name.get(self.context)
                if person is not None and person.kind == "person":
                    found.append((self.context, ""))
            elif c.dep_ == "poss" and c.lower_ not in PRONOUNS | {"its", "their", "his", "her", "our"}:
                found.append(self._name(c, "target"))
            elif (c.dep_ == "prep" and c.lower_ in ("of", "from", "to", "in", "for", "with")) or (
                c.dep_ == "dative" and c.pos_ == "ADP"  # "passing intelligence to X"
            ):
                found += [self._name(p, "target") for p in g.children(c, "pobj")]
            elif c.dep_ == "dative":  # "would no longer send Smith any money": the one it goes to
                found.append(self._name(c, "target"))
            elif c.dep_ in ("compound", "amod") and modifiers:
                by_adjective = self.profile.actor_by_adjective.get(c.lower_)  # "American weapons"
                modifying.append((by_adjective, "") if by_adjective else self._name(c, "target"))
        found = [f for f in found if f[0] is not None and not self._same_side(f[0], actor)]
        if found:
            return found
        return [(name, "") for name, _ in modifying if name is not None and not self._same_side(name, actor)]

    def _same_side(self, name: str, actor: str | None) -> bool:
        """ "Smith recalled Ruritania's ambassador from Paris": the actor's own government owns the
        object, it is not what the action is done to."""
        return actor is not None and self.profile.same_side(name, actor)

    def _is_envoy_as(self, token: Token, action: Action) -> bool:
        """ "recalled John Smith": a named envoy whose role is one of the action's objects ("ambassador")."""
        envoy = self._envoy(token)
        return envoy is not None and bool(set((envoy.role or "").lower().split()) & set(action.objects))

    def _envoy(self, token: Token) -> Actor | None:
        name, _ = self._name(token)
        actor = self.profile.actor_by_name.get(name) if name else None
        return actor if actor is not None and actor.posted_to is not None else None

    def _sender_of_envoy(self, trigger: Trigger) -> tuple[str | None, str]:
        """Who calls an envoy home when the sentence does not say: the government the envoy serves (the
        profile's `country`), for an action done on a posting only."""
        if not trigger.action.on_posting or trigger.obj is None:
            return None, "actor"
        # "was recalled", or sent back to their own country ("summoned back to the capital"); not "withdrawn
        # from the team" or "summoned back to the ministry"
        verb = trigger.token
        heads = [verb, *g.children(verb, "advmod", "prt")]  # "summoned back [to the capital]"
        to = [
            self._name(o)[0]
            for h in heads
            for p in g.children(h, "prep")
            if p.lower_ == "to"
            for o in g.children(p, "pobj")
        ]
        for envoy in self._envoys_named(trigger.obj):
            if envoy.country is not None and (_lemma_in(verb, _RECALLING) or envoy.country in to):
                return envoy.country, ""
        return None, "actor"

    def _envoy_side(self, trigger: Trigger, actor: str | None) -> list[tuple[str | None, str]]:
        """ "recalled its ambassador, John Smith": the envoy named (in apposition, or as the object), through
        the profile, gives the other side: where they are posted (a recall) or whom they represent."""
        assert trigger.obj is not None
        for envoy in self._envoys_named(trigger.obj):
            side = envoy.posted_to if trigger.action.on_posting else envoy.country
            if side is not None and not self._same_side(side, actor):
                return [(side, "")]
        return []

    def _envoys_named(self, obj: Token) -> Iterator[Actor]:
        """The profile envoys the object names, itself or in apposition ("its ambassador, John Smith")."""
        for c in [obj, *g.children(obj, "appos")]:
            envoy = self._envoy(c)
            if envoy is not None:
                yield envoy

    def _own(self, obj: Token) -> bool:
        """Whether "his" / "her" on the object is the clause's own subject, a person ("Smith recalled his
        ambassador", "she withdrew her envoy")."""
        clause = g.clause_of(obj)
        subject = g.agent_of(clause) if g.is_passive(clause) else g.subject_of(clause)
        if subject is None:
            return False
        return subject.lower_ in ("he", "she") or self._is_person(subject)

    def _name(self, token: Token, role: str = "actor") -> tuple[str | None, str]:
        """The profile actor a noun phrase names, or None (and why, for the actor or target role)."""
        name, why = g.named_actor(self.profile.actor_index, token, self.referents)
        return name, f"{role}-{why}" if why else ""

    # ---------------------------------------------------------------- when

    def _date(self, trigger: Trigger, doc: Doc, dates: list[tuple[int, int, date]]) -> tuple[date | None, str]:
        """The date attached to the action's clause, or to the verb announcing it."""
        t = trigger.token
        # "halted purchases on Thursday in response to the sanctions": another happening's date
        adjunct = t.pos_ not in ("VERB", "AUX") and self._in_adjunct(t)
        # "confirmed on Wednesday the suspension": a date before the action noun is the restating's
        restated = t.pos_ not in ("VERB", "AUX") and _lemma_in(g.clause_of(t), self.restating)
        # "responded on Wednesday to the embargo": a verb that reacts to the action noun, rather
        # than doing, ordering, announcing it or telling that it came, has a date of its own
        reacted = t.pos_ not in ("VERB", "AUX") and not _lemma_in(g.clause_of(t), self.dating_verbs)
        own = {t.i} if adjunct or reacted else {t.i, g.clause_of(t).i}
        if t.pos_ not in ("VERB", "AUX") and t.head.pos_ in ("VERB", "AUX") and not reacted:
            own.add(t.head.i)
        if t.pos_ not in ("VERB", "AUX"):  # "the sanctions on X, imposed on Thursday": the participle doing it
            own |= {c.i for c in t.subtree if c.dep_ == "acl" and c.tag_ == "VBN" and _lemma_in(c, self.doing)}
        commander = self._commander(t) if t.pos_ in ("VERB", "AUX") else None
        if commander is not None:
            own.add(commander.i)  # "ordered on Tuesday that the forces stop sharing"
        own |= {v.i for v in self._own_deed_told(t)}
        announcing: list[Token] = []
        if not adjunct and self._announced(t):
            announcing = [v for v in g.governors(t) if _lemma_in(v, self.speech)]
            own |= {v.i for v in announcing}
            # "On Sunday, Trump called X a liar and said Y would stop": a date before the first of two
            # verbs sharing one subject dates both
            fronted = {
                v.head.i
                for v in announcing
                if v.dep_ == "conj" and not g.children(v, "nsubj", "nsubjpass") and g.reliably_joined(v)
            }
        else:
            fronted = set()
        # "The slide began on Friday, when X sanctioned Y"; "… on Thursday, when X announced that Y would …"
        when_clauses = [
            c
            for c in (g.clause_of(t), *announcing)
            if c.dep_ in ("advcl", "relcl") and any(w.lower_ == "when" for w in c.children)
        ]
        own |= {c.head.i for c in when_clauses}
        hits = []
        for start, end, day in dates:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            anchor = _date_anchor(span.root, trigger.token, self.action_nouns)
            if commander is not None and _held_by(span.root, commander):
                anchor = commander  # "Smith's Nov. 4 order suspending ...", "Smith's order on Tuesday to ..."
            for when_clause in when_clauses:
                if when_clause.dep_ == "relcl" and when_clause.head.i in (span.root.i, span.root.head.i):
                    anchor = when_clause  # "on Friday, September 12, when X sanctioned Y"
            if restated and span.start < t.i and anchor is not None and anchor.i != t.i:
                continue
            if anchor is not None and (anchor.i in own or (anchor.i in fronted and span.end <= anchor.i)):
                hits.append(day)
        if len(set(hits)) == 1:
            if self._past_occurrence(t):
                return hits[0], "past-occurrence"
            return hits[0], ""
        return None, "date" if not hits else "date-ambiguous"

    def _own_deed_told(self, verb: Token) -> list[Token]:
        """ "The ministry said on Friday it has revoked X's visa": the doer telling its deed as just done
        (the present perfect, "it" being the speaker) makes it public that day, so the telling dates it.
        Another's telling ("Smith said on Tuesday that X has revoked ...") or an earlier deed ("had
        revoked") does not: the deed may be days older."""
        if verb.pos_ not in ("VERB", "AUX") or not _just_done(verb):
            return []
        subject = g.subject_of(verb)
        if subject is None or not _pronoun(subject, PRONOUNS):
            return []
        tellers = [v for v in g.reporting_verbs(verb, self.speech) if g.subject_of(v) is not None]
        return tellers[:1] if all(g.reliably_joined(v) for v in tellers) else []

    def _in_adjunct(self, noun: Token) -> bool:
        """Whether an action noun sits in a phrase of time, cause or circumstance of its clause ("after the
        embargo", "in response to the sanctions"), not in one of the clause's arguments."""
        t = noun
        for _ in range(6):
            if t.dep_ in ("nsubj", "nsubjpass", "dobj", "obj", "attr") or t.head.i == t.i:
                return False
            if t.dep_ == "prep" and t.lower_ in self.adjuncts:
                return True
            if t.head.pos_ in ("VERB", "AUX"):
                return False  # reached the clause through an argument or another preposition
            t = t.head
        return False

    def _announced(self, t: Token) -> bool:
        """The action is the announcement itself: "said it would revoke", "announced it was revoking"."""
        clause = g.clause_of(t)
        aux = {c.lower_ for c in clause.children if c.dep_ == "aux"}
        progressive = clause.tag_ == "VBG" and bool(aux & {"was", "is", "were", "are"})
        return bool(aux & ANNOUNCED_MODALS) or progressive or clause.tag_ in ("VBP", "VBZ")

    def _past_occurrence(self, t: Token) -> bool:
        """ "the last sanction", "the previous recall": another occurrence than the one reported ("the first
        sanction since 1997" is this one)."""
        if any(c.dep_ == "prep" and c.lower_ == "since" for c in t.children):
            return False
        return any(c.lower_ in self.past_markers for c in t.children if c.dep_ in ("amod", "det", "advmod"))


def _held_by(date_root: Token, noun: Token) -> bool:
    """Whether a date hangs on `noun`, directly or through its preposition ("order on Tuesday")."""
    head = date_root.head
    for _ in range(3):  # "on Sunday, November 9": through the weekday and the preposition
        if head.i == noun.i or head.head.i == head.i:
            break
        if head.pos_ != "ADP" and head.lower_.rstrip(".") not in DATE_WORDS:
            break
        head = head.head
    return head.i == noun.i


def _told_as_done(verb: Token) -> bool:
    """ "the announcement that the ministry had sanctioned X" / "… revoked X's visa": an earlier deed the
    noun reports, not one it orders or announces for the future."""
    return verb.tag_ == "VBD" or any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


def _just_done(verb: Token) -> bool:
    """ "has revoked", "have decided": the present perfect, a deed told as just done."""
    return any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'ve") for c in verb.children)


def _previous_year(trigger: Token, published: date | None) -> int | None:
    """The year of the last occurrence before now that the sentence tells for the action: "for the first
    time since 1997", "the first time since 1997 that X did", "X's sanction, a first since 1997", "was last
    sanctioned in 1996 and 1997" (the latest year of a list), "the last sanction was in 1997". A year not
    before the publication's, or two readings that disagree, give none."""
    found: set[int] = set()
    for since in trigger.doc:
        if since.lower_ != "since" or since.dep_ != "prep":
            continue
        years = [y for pobj in g.children(since, "pobj") for y in g.conjuncts(pobj) if g.is_year(y)]
        first = since.head
        if not years or not (_is_first(first) or any(_is_first(c) for c in g.children(first, "amod"))):
            continue
        clause = first
        while clause.pos_ not in ("VERB", "AUX") and clause.dep_ in ("pobj", "prep") and clause.head.i != clause.i:
            clause = clause.head
        told_of = trigger.head.i == first.i and trigger.dep_ in ("relcl", "acl", "ccomp")  # "the first time that"
        if told_of and any(c.dep_ == "mark" and c.lower_ != "that" for c in trigger.children):
            told_of = False  # "rose for the first time since 2001 as X did": another clause's time
        described = first.head  # "the sanction on Smith, a first since 1997": the appositive may hang on Smith
        while first.dep_ == "appos" and described.dep_ in ("pobj", "prep") and described.i != trigger.i:
            described = described.head
        if trigger.i in (first.i, described.i, clause.i) or told_of:
            found.add(max(int(y.text) for y in years))
    if any(c.lower_ == "last" and c.dep_ in ("advmod", "amod") for c in trigger.children):
        # "was last sanctioned in 1997"; "the last sanction [of X] was in 1997"
        holder = trigger.head if trigger.dep_ == "nsubj" and trigger.head.lemma_ == "be" else trigger
        years = [
            y
            for prep in g.children(holder, "prep")
            if prep.lower_ in ("in", "during")
            for pobj in g.children(prep, "pobj")
            for y in g.conjuncts(pobj)
            if g.is_year(y)
        ]
        if years:
            found.add(max(int(y.text) for y in years))
    if len(found) != 1:
        return None
    (year,) = found
    return year if published is None or year < published.year else None


def _is_first(token: Token) -> bool:
    return token.lower_ == "first" and token.pos_ in ("ADJ", "ADV", "NOUN")


def _going_to(verb: Token) -> bool:
    """ "is not going to buy": a committed future."""
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_.lower() == "go" and head.tag_ == "VBG"


def _date_anchor(root: Token, trigger: Token, action_nouns: set[str]) -> Token | None:
    """The word a date attaches to: the first verb or the trigger above it; None when it belongs to
    another noun first ("a September 9 report"), an action's noun included ("recalled X, after an earlier
    recall on July 3", "after the sanctions on Friday"). "X on Monday recalled" (the date hung on the
    subject through its preposition) is the verb's."""
    t = root
    for _ in range(6):
        if t.head.i == t.i:
            return t
        previous, t = t, t.head
        if t.pos_ in ("VERB", "AUX") and _opens_after(t, root):
            return t.head  # "recalled X on Tuesday, two days after Y declared ...": not inside the after-clause
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ == "cc" and t.i < c.i < root.i for c in t.children):
            # "X revoked the visa and, on Sunday, Y cut aid": a date after the "and" is the next conjunct's
            later = [c for c in t.children if c.dep_ == "conj" and c.i > root.i and c.pos_ in ("VERB", "AUX")]
            return later[0] if later else None
        if t.i == trigger.i or t.pos_ in ("VERB", "AUX"):
            return t
        if t.lower_.rstrip(".") in DATE_WORDS:
            continue  # "Wednesday, Sept. 24": the weekday and the date are one expression
        if t.pos_ == "NOUN" and _lemma_in(t, action_nouns):
            return t  # another mention of the action, with a date of its own
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("pobj", "advmod"):  # "summoned X home on Monday"
            if previous.dep_ == "prep" and t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ in ("VERB", "AUX"):
                return t.head
            return None
    return None


def _opens_after(verb: Token, token: Token) -> bool:
    """Whether a subordinate clause begins (at its "after", "when", "because") after the token: a clause
    starts with its conjunction, so a word before it belongs to the clause above, wherever the parser hung it."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.i > token.i for c in verb.children)


def _unquoted(text: str) -> str:
    """'have "failed demonstrably"' reads as 'have failed demonstrably'."""
    for mark in ('"', "“", "”"):
        text = text.replace(mark, "")
    return " ".join(text.split())


def _pronoun(token: Token, words: set[str]) -> bool:
    """A pronoun of `words`: "us", not "US" (a name the parser tags as one)."""
    return token.lower_ in words and token.pos_ == "PRON"


def _bare(verb: Token) -> bool:
    """An object and nothing saying what it is made ("designated Smith", not "designated X as / a Y")."""
    if g.object_of(verb) is None and not g.is_passive(verb):
        return False
    if any(c.dep_ in ("oprd", "xcomp", "ccomp", "acomp") for c in verb.children):
        return False
    return not any(c.dep_ == "prep" and c.lower_ in ("as", "for") for c in verb.children)


def _verb_in(verb: Token, verbs: list[str]) -> bool:
    """A verb of the list, phrasal ones included: "call home" is "call" with the particle or adverb
    "home" ("called home its envoy", "called its envoy home")."""
    if _lemma_in(verb, [v for v in verbs if " " not in v]):
        return True
    for phrasal in (v for v in verbs if " " in v):
        head, particle = phrasal.lower().split(" ", 1)
        if verb.lemma_.lower() == head and any(
            c.lower_ == particle and c.dep_ in ("prt", "advmod", "npadvmod") for c in verb.children
        ):
            return True
    return False


def _lemma_in(token: Token, lemmas: list[str] | set[str]) -> bool:
    """A word whose lemma (or, where the lemmatizer stumbles, whose stem) is listed."""
    lemma = token.lemma_.lower()
    if lemma in lemmas or token.lower_ in lemmas:
        return True
    # the lemmatizer sometimes drops an "e" or keeps an "ie": "fined" -> "fin", "certified" -> "certifie"
    if lemma + "e" in lemmas or (lemma.endswith("ie") and lemma[:-2] + "y" in lemmas):
        return True
    word = token.lower_
    for candidate in lemmas:
        stem = candidate[:-1] if candidate.endswith(("e", "y")) else candidate
        if len(stem) >= 5 and word.startswith(stem) and len(word) - len(stem) <= 3:
            return True
    return False


def _ergative(verb: Token, subject: Token) -> bool:
    """ "Payments would stop": an action verb used without an object, its subject undergoing it."""
    if any(c.dep_ == "prt" for c in verb.children):
        return False  # "aid ended up smaller": a phrasal verb is another verb
    obj = g.object_of(verb)
    if obj is not None and obj.i < subject.i and obj.lower_ == "that":
        obj = None  # "said that aid would end": the complementiser, parsed as an object
    return subject.dep_ == "nsubj" and obj is None and not g.is_passive(verb)
