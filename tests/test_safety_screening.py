"""flows.safety.screen: the replies it must catch, and the ones it must not
be fooled by. Each test reads like the patient's reply it checks."""

from __future__ import annotations

import pytest

from flows.safety import CATEGORIES, Screening, screen


def caught(text: str, lang: str = "en") -> Screening:
    result = screen(text, lang)
    assert result.disclosure, f"missed: {text!r}"
    assert result.evidence
    return result


def clear(text: str, lang: str = "en") -> None:
    result = screen(text, lang)
    assert not result.disclosure, f"false alarm on {text!r}: {result.evidence}"
    assert result == Screening(False, False, (), ())


# --- each category -----------------------------------------------------------------

@pytest.mark.parametrize("text, category", [
    ("they dropped my mum off the hoist and she broke her hip", "physical_harm"),
    ("I fell on the ward because nobody came to help me to the toilet", "physical_harm"),
    ("they gave me someone else's tablets", "clinical_error"),
    ("I told them I'm allergic to penicillin and they still gave it me", "clinical_error"),
    ("left in a wet bed for hours", "neglect"),
    ("I pressed the buzzer for an hour and no one came", "neglect"),
    ("the nurse was a bit rough with my mum", "abuse_by_staff"),
    ("The receptionist shouted at me in front of everyone", "abuse_by_staff"),
    ("he won't let me come to appointments alone", "domestic_abuse"),
    ("my partner takes my bank card and checks my phone every night", "domestic_abuse"),
    ("I don't see the point in going on", "self_harm_suicide"),
    ("called me a name because of my headscarf", "discrimination"),
    ("the doctor touched me in a way I didn't like", "sexual_misconduct"),
    ("the kids aren't safe at home with him when he drinks", "child_safeguarding"),
    ("I'll hurt that receptionist", "threat_to_others"),
    ("they read my notes out in the waiting room", "data_breach_privacy"),
])
def test_each_category_is_caught(text, category):
    assert category in caught(text).categories


def test_categories_are_a_subset_in_catalogue_order():
    result = caught("The nurse slapped me, then gave me the wrong medication and laughed at me")
    assert set(result.categories) <= set(CATEGORIES)
    assert list(result.categories) == sorted(result.categories, key=CATEGORIES.index)


def test_harm_is_found_inside_praise_and_other_answers():
    caught("Lovely ward but one nurse shouted at my dad for wetting the bed")
    caught("Booking was easy but the receptionist read my reason for visit out loud to the queue")
    caught("No. A nurse slapped me and shouted at me when I asked for a chaperone")


# --- must not be fooled ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "no harm at all",
    "nobody was rude or abusive",
    "I was never hurt",
    "I have not experienced any harm from the service",
    "they were never rude, always polite",
])
def test_denials_that_repeat_the_trigger_words(text):
    clear(text)


def test_harm_not_caused_by_the_service():
    clear("I broke my leg playing football, the staff were great")
    clear("I came in after falling down the stairs at home and A&E sorted me out quickly")


def test_resolved_history_not_from_the_service_is_not_a_disclosure():
    clear("I used to self harm as a teenager but I'm doing really well now")
    clear("my ex was violent years ago but that's all behind me and I'm safe now")


def test_resolved_harm_caused_by_the_service_is_still_a_disclosure():
    caught("There was a mix up with my medication last year, they apologised and it was "
           "sorted, but I was really ill for a week")


def test_explicitly_hypothetical_harm():
    clear("If anything had gone wrong I would have complained but it was all good")


def test_normal_discomfort_of_a_procedure():
    clear("the injection hurt a bit but that's normal")
    clear("The stitches were a bit uncomfortable but that is to be expected")


@pytest.mark.parametrize("text", [
    "the sexual health clinic was very discreet",
    "the domestic abuse support service was brilliant",
    "the harm reduction team never judge me",
    "the self-harm service helped me",
])
def test_service_vocabulary_containing_trigger_words(text):
    clear(text)


@pytest.mark.parametrize("text", [
    "the wait killed me lol",
    "I nearly died of boredom",
    "I could kill for a decent coffee in that place",
])
def test_hyperbole_and_jokes(text):
    clear(text)


# --- indirect, euphemistic and misspelt disclosures ------------------------------------------

@pytest.mark.parametrize("text", [
    "the nurse was a bit rough with my mum",
    "they gave me someone elses tablets",
    "left in a wet bed for hours",
    "I don't see the point in going on",
    "he won't let me come to appointments alone",
    "the doctor touched me in a way I didn't like",
    "they read my notes out in the waiting room",
    "called me a name because of my headscarf",
    "i didnt feel safe on the ward",
    "i feel sucidal most days",
    "i was abussed by one of the nurses",
    "THE NURSE SLAPPED ME",
])
def test_indirect_wording_typos_and_missing_apostrophes(text):
    caught(text)


# --- urgency -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "I'd be better off not waking up",
    "im going to kill myself tonight",
    "I've started cutting my arms again",
    "he hits me",
    "my stepdad hits my little brother",
    "I'll hurt that receptionist",
    "I have chest pain right now",
    "I can't breathe",
])
def test_danger_now_is_urgent(text):
    assert caught(text).urgent


@pytest.mark.parametrize("text", [
    "they gave me the wrong dose of insulin",
    "the receptionist was rude",
    "I took an overdose two years ago and the crisis team were slow to see me",
    "my ex used to hit me",
])
def test_past_or_non_dangerous_disclosures_are_not_urgent(text):
    assert not caught(text).urgent


# --- other languages -------------------------------------------------------------------

@pytest.mark.parametrize("text, lang, category", [
    ("Mąż mnie bije, kiedy pije", "pl", "domestic_abuse"),
    ("Pielęgniarka na mnie krzyczała", "pl", "abuse_by_staff"),
    ("Mi-au dat medicamentul greșit", "ro", "clinical_error"),
    ("Quiero suicidarme", "es", "self_harm_suicide"),
    ("Deixaram a minha mãe sozinha horas sem comida", "pt", "neglect"),
    ("Le médecin m'a touchée de manière inappropriée", "fr", "sexual_misconduct"),
    ("Mi hanno dato il farmaco sbagliato", "it", "clinical_error"),
    ("Kocam beni dövüyor", "tr", "domestic_abuse"),
    ("Искам да се самоубия", "bg", "self_harm_suicide"),
    ("Dw i eisiau lladd fy hun", "cy", "self_harm_suicide"),
    ("زوجي يضربني", "ar", "domestic_abuse"),
    ("انہوں نے مجھے غلط دوائی دی", "ur", "clinical_error"),
    ("می‌خواهم خودکشی کنم", "fa", "self_harm_suicide"),
    ("护士对我大喊大叫", "zh", "abuse_by_staff"),
    ("আমার স্বামী আমাকে মারে", "bn", "domestic_abuse"),
    ("ਮੇਰਾ ਪਤੀ ਮੈਨੂੰ ਮਾਰਦਾ ਹੈ", "pa", "domestic_abuse"),
    ("મને ખોટી દવા આપી", "gu", "clinical_error"),
    ("நான் தற்கொலை செய்து கொள்ள விரும்புகிறேன்", "ta", "self_harm_suicide"),
    ("Ninkaygu wuu i garaacaa", "so", "domestic_abuse"),
    ("Gydytojas mane netinkamai lietė", "lt", "sexual_misconduct"),
    ("Sestra na mňa kričala", "sk", "abuse_by_staff"),
    ("Dostala jsem špatný lék", "cs", "clinical_error"),
])
def test_other_languages(text, lang, category):
    assert category in caught(text, lang).categories


@pytest.mark.parametrize("text, lang", [
    ("Nikt nie był niegrzeczny, nie doznałam żadnej krzywdy", "pl"),
    ("No sufrí ningún daño, nadie fue grosero", "es"),
    ("Je n'ai subi aucun préjudice, personne n'a été impoli", "fr"),
    ("Hiçbir zarar görmedim, herkes çok kibardı", "tr"),
    ("مجھے کوئی نقصان نہیں ہوا، سب بہت اچھے تھے", "ur"),
    ("没有受到任何伤害，大家都很友善", "zh"),
])
def test_denials_in_other_languages(text, lang):
    clear(text, lang)


def test_a_wrong_or_unknown_language_still_screens_everything():
    assert screen("Chcę się zabić", "xx").urgent
    assert screen("Mąż mnie bije", "en").disclosure
    assert screen("my husband hits me", "pl").urgent


# --- robustness ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "", "   ", "\n", "👍", "😂😂😂", "?!...,,,", "a" * 1600, "ok " * 600,
    "Nurse 👩‍⚕️ was kind 🙏 مرسی 谢谢 dziękuję ❤️", "\u200b\u200c\u200d", "\x00\x01",
])
def test_odd_input_never_raises(text):
    result = screen(text, "en")
    assert isinstance(result, Screening)


def test_long_reply_with_a_disclosure_at_the_end():
    text = "The service was fine and the staff were kind. " * 33 + "But the nurse hit me."
    assert len(text) > 1500
    assert caught(text).categories == ("abuse_by_staff",)


@pytest.mark.parametrize("lang", ["", "EN", "en-GB", "pt_BR", "zz", None])
def test_odd_language_codes(lang):
    assert screen("he hits me", lang).urgent


def test_screening_is_deterministic():
    text = "they left my dad in a wet bed and the nurse shouted at him"
    assert screen(text, "en") == screen(text, "en")


# --- more ways of saying it: passive, euphemistic, text-speak -----------------------

@pytest.mark.parametrize("text", [
    "sometimes i think everyone would be better if i just wasnt around",
    "I've been stockpiling my tablets, I just want it to end",
    "i'm struggling to stay safe tonight",
    "I don't know how much longer I can keep going like this",
    "I've written letters to my kids in case I'm not here next week",
    "i keep thinking about stepping in front of a train",
    "dnt wanna b here no more",
    "feel like endin it tbh",
    "if things don't change I'll kill myself",
])
def test_passive_and_euphemistic_suicidal_wording_is_urgent(text):
    assert "self_harm_suicide" in caught(text).categories
    assert caught(text).urgent


@pytest.mark.parametrize("text", [
    "my lips are going blue and I'm struggling for breath",
    "my dad's face has dropped on one side and he can't lift his arm",
    "my toddler has swallowed a button battery",
    "crushing chest pain, sweating and feel sick, it started 20 mins ago",
    "my husband has collapsed and isnt responding",
])
def test_medical_emergencies_in_many_words_are_urgent(text):
    assert caught(text).urgent


@pytest.mark.parametrize("text", [
    "he makes me feel small at home and I'm scared to go back",
    "he always answers for me when the doctor asks questions and I can't say anything",
    "my ex is stalking me",
    "i'm texting from the toilet because he's in the next room, please help",
    "I have to ask him before I can spend any money or see my friends",
])
def test_ongoing_domestic_abuse_and_control_are_urgent(text):
    result = caught(text)
    assert "domestic_abuse" in result.categories and result.urgent


@pytest.mark.parametrize("text", [
    "my baby's dad shakes him when he cries",
    "my 14 year old is seeing a man of 30 who gives her drugs",
    "my mum's boyfriend comes into my room at night and I'm 13",
    "my son came back from his dads with a burn on his hand and he won't talk about it",
])
def test_a_child_at_risk_now_is_urgent(text):
    result = caught(text)
    assert "child_safeguarding" in result.categories and result.urgent


@pytest.mark.parametrize("text", [
    "the assault course at the rehab gym was tough but fun",
    "they've managed to cut the waiting list right down",
    "the substance abuse service have been brilliant",
    "the domestic violence advocate helped me get a new home, I'm safe",
    "I want to give up smoking and the stop smoking nurse is helping",
])
def test_more_service_vocabulary(text):
    clear(text)


@pytest.mark.parametrize("text", [
    "my husband would never hurt me",
    "I was nervous the surgery would go wrong but it went perfectly",
    "they told me if I ever feel unsafe at home I can call the number, I feel safe though",
    "they asked if I have thoughts of harming myself, I don't",
    "I had suicidal thoughts in my twenties but I've been well for years",
    "my daughter said she'd kill me if I forgot her charger lol",
    "i'm dying to know my results",
    "My dad had a stroke in 2019 and the rehab was great",
    "I couldn't breathe for laughing at the nurse's jokes",
])
def test_denials_hypotheticals_history_and_jokes(text):
    clear(text)


# --- language mixing ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "mera shohar roz mujhe peet ta hai aur dhamki deta hai",
    "mujhe khudkushi karne ka dil karta hai",
    "maz mnie bije",
])
def test_romanised_or_unaccented_replies_in_an_english_chat(text):
    assert caught(text, "en").urgent


@pytest.mark.parametrize("text, lang", [
    ("No sufrí ningún daño, nadie fue grosero", "es"),
    ("Nadie me hizo daño, me trataron muy bien", "es"),
    ("لم أتعرض لأي أذى، الجميع كانوا لطفاء", "ar"),
    ("Kiedyś miałam myśli samobójcze, ale to już za mną, teraz jest dobrze", "pl"),
    ("Nessuno è stato scortese", "it"),
    ("مجھے کوئی نقصان نہیں ہوا، سب بہت اچھے تھے", "ur"),
])
def test_a_denial_is_seen_by_every_lexicon_that_screens_the_reply(text, lang):
    clear(text, lang)


@pytest.mark.parametrize("text, lang", [
    ("Czasem myślę, że lepiej by było, gdybym się nie obudziła", "pl"),
    ("کبھی کبھی سوچتی ہوں کہ سو جاؤں اور کبھی نہ اٹھوں", "ur"),
    ("ab jeene ka dil nahi karta", "ur"),
    ("ਹੁਣ ਜੀਣ ਨੂੰ ਦਿਲ ਨਹੀਂ ਕਰਦਾ", "pa"),
    ("Uneori mă gândesc că ar fi mai bine să nu mă mai trezesc", "ro"),
    ("أحيانا أتمنى أن أنام ولا أستيقظ", "ar"),
    ("মাঝে মাঝে মনে হয় ঘুমিয়ে পড়ি আর যেন না উঠি", "bn"),
    ("Mararka qaar waxaan jeclaan lahaa inaan seexdo oo aanan soo toosin", "so"),
    ("A veces pienso que sería mejor no despertar", "es"),
    ("Às vezes penso que era melhor adormecer e não acordar mais", "pt"),
    ("گاهی فکر می‌کنم کاش بخوابم و دیگر بیدار نشوم", "fa"),
    ("有时候我想睡着了就不要再醒来", "zh"),
])
def test_passive_suicidal_wording_in_other_languages(text, lang):
    result = caught(text, lang)
    assert "self_harm_suicide" in result.categories and result.urgent


@pytest.mark.parametrize("text, lang", [
    ("Boli mnie w klatce piersiowej i nie mogę złapać tchu", "pl"),
    ("mere seene mein bohat dard hai aur saans nahi aa rahi", "ur"),
    ("ਮੇਰੀ ਛਾਤੀ ਵਿੱਚ ਬਹੁਤ ਦਰਦ ਹੈ ਤੇ ਸਾਹ ਨਹੀਂ ਆ ਰਿਹਾ", "pa"),
    ("عندي ألم شديد في صدري ولا أستطيع التنفس", "ar"),
    ("Laabta ayaa aad ii xanuunaysa, neefna ma qaadan karo", "so"),
    ("Me duele mucho el pecho y me cuesta respirar", "es"),
])
def test_emergencies_in_other_languages_are_urgent(text, lang):
    assert caught(text, lang).urgent


# --- the lexicons themselves ------------------------------------------------------------

def test_every_lexicon_entry_compiles_to_a_plain_regex():
    """A "~" or "{NAME}" left in a compiled entry is a typo that silently never
    matches (e.g. "(mi )?~ x" or an undefined def)."""
    import re

    from flows.safety.lexicon import LANGS, _expand, lexicon_data
    from flows.safety.text import compile_entry

    groups = ("neg_pre", "neg_post", "clause", "hypothetical", "external", "mild", "past",
              "present", "resolved", "benign")
    for lang in LANGS:
        data = lexicon_data(lang)
        ids = [rule["id"] for rule in data["rules"]]
        assert len(ids) == len(set(ids)), f"{lang}: a rule id is used twice (cues are keyed by id)"
        defs = data.get("defs") or {}
        entries = [e for g in groups for e in data.get(g) or ()]
        for rule in data["rules"]:
            for key in ("p", "unless", "requires", "unless_before"):
                entries += rule.get(key) or ()
        for entry in entries:
            compiled = compile_entry(_expand(str(entry), defs))
            re.compile(compiled)
            assert "~" not in compiled, (lang, entry)
            assert not re.search(r"\{[A-Z]", compiled), (lang, entry)


def test_a_long_reply_is_still_fast():
    import time

    text = ("The staff were kind but I waited hours and the nurse was a bit short. " * 25)[:1600]
    screen(text, "en")
    start = time.process_time()
    for _ in range(10):
        screen(text, "en")
    assert (time.process_time() - start) / 10 < 0.05


@pytest.mark.parametrize("text", [
    "cant stop thinking about killing myself",          # "cant stop" denies nothing
    "i dont see myself being here by christmas to be honest",   # gap, optional end, more words
    "things got a bit physical with him again last night",
    "honestly I'm not safe at home",
    "I've just taken everything in the cupboard",
    "my stepdad comes in my room at night and I dont like it",
    "my brother says he knows where that nurse parks",
])
def test_understatement_and_euphemism_are_urgent(text):
    assert screen(text, "en").urgent, text


@pytest.mark.parametrize("text,category", [
    ("mum came back from the ward with bruises she cant explain", "physical_harm"),
    ("the care home has had mum in the same pad since yesterday morning", "neglect"),
    ("receptionist put on a silly voice copying my accent", "discrimination"),
    ("my neighbour knew about my termination before I told anyone, she works on reception",
     "data_breach_privacy"),
    ("the physio kept messaging me on facebook asking to meet up for drinks", "sexual_misconduct"),
    ("we dont get many of your type here, the receptionist said", "discrimination"),
])
def test_indirect_reports_find_their_category(text, category):
    assert category in screen(text, "en").categories, text


@pytest.mark.parametrize("text", [
    "years ago I self harmed but I've been well for a long time now",
    "my son bruises easily because of his condition, the haematology team are great",
    "my husband hit the roof when he saw the parking charge lol",
    "the nurse took blood twice because the first vein collapsed, no harm done",
    "the doctor asked whether I'd thought of ending it, I haven't",
    "they kept him sedated for the MRI which was explained",
])
def test_new_wording_does_not_raise_false_alarms(text):
    assert not screen(text, "en").disclosure, text


def test_a_feeling_that_lasts_is_not_danger_now():
    assert not screen("My ex used to hit me and I am still having nightmares", "en").urgent
    assert screen("he still hits me and it still upsets me", "en").urgent
    assert screen("I took an overdose years ago and still think about doing it again", "en").urgent


# --- the model's second opinion --------------------------------------------------

def test_the_model_catches_indirect_wording_the_lexicon_misses():
    from flows.safety.engine import screen_lexicon
    text = "to be honest i dont think ill make it to the next check up"
    assert not screen_lexicon(text, "en").disclosure
    result = screen(text, "en")
    assert result.disclosure and result.urgent, result
    assert "self_harm_suicide" in result.categories
    assert any(e.startswith("model:disclosure ") for e in result.evidence)


@pytest.mark.parametrize("text", [
    "Yes, the GP listens to me",
    "the queue nearly finished me off lol but the nurse was sweet",
    "no, nothing bad happened at all, all fine",
    "Yes, when I know about it",
    "The bus stops right outside",
])
def test_the_model_does_not_flag_ordinary_answers(text):
    clear(text)


def test_the_weights_load_offline_and_scoring_is_deterministic():
    from flows.safety import model
    mdl = model.default()
    assert mdl is not None and {"disclosure", "urgent"} <= set(mdl.weights)
    feats = model.features("he wont let me see my friends anymore")
    assert mdl.prob("disclosure", feats) == mdl.prob("disclosure", model.features(
        "he wont let me see my friends anymore"))


# --- lexicon round 12: kinds of miss found on train.jsonl ------------------------

@pytest.mark.parametrize("text,lang", [
    ("lately i pray i wont wake up in the morning", "en"),
    ("i wouldnt really mind if a lorry ran me over", "en"),
    ("honestly it isnt worth going on any more", "en"),
    ("i have been sorting out who will look after my dog when im gone", "en"),
    ("she took away my zimmer frame so i cant leave my room", "en"),
    ("he flushed all my pills down the sink again", "en"),
    ("my 13 year old says a grown man online keeps messaging her", "en"),
    ("a vida ja nao tem mais sentido nenhum", "pt"),
    ("hayatımın artık hiç anlamı kalmadı", "tr"),
])
def test_round12_urgent_wording_is_caught(text, lang):
    from flows.safety.engine import screen_lexicon
    result = screen_lexicon(text, lang)
    assert result.disclosure and result.urgent, (text, result)


@pytest.mark.parametrize("text", [
    "my dad hits the roof about the parking charges every visit",
    "the gp told me im killing myself with the takeaways, fair enough",
    "i was a bit snappy with the receptionist because i was tired",
])
def test_round12_idioms_are_not_alarms(text):
    from flows.safety.engine import screen_lexicon
    assert not screen_lexicon(text, "en").disclosure, text
