//! Tests of the speaker the text is following.

use crate::quotes::speaker::tests::*;

#[test]
fn next_quote_of_the_paragraph_keeps_the_speaker() {
    assert_eq!(
        speakers(
            "\"We have been patient,\" Marta Lindqvist told a meeting. \"If Korsby cannot \
             tell us, we will act.\""
        ),
        vec![some("Marta Lindqvist"), some("Marta Lindqvist")]
    );
    // Capitalised words inside the attribution clause do not matter.
    assert_eq!(
        speakers(
            "\"It failed,\" said committee member Josef Hartmann of the Civic List. \
             \"Velmora passengers should not find out.\""
        ),
        vec![some("Josef Hartmann"), some("Josef Hartmann")]
    );
    // Attribution before the first quote, nothing in between.
    assert_eq!(
        speakers("Halev said: \"We came to sign.\" \"We signed.\""),
        vec![some("Halev"), some("Halev")]
    );
    // The same sentence, interrupted by its attribution.
    assert_eq!(
        speakers("\"We may lend one,\" Okafor said, \"but the group is complete.\""),
        vec![some("Okafor"), some("Okafor")]
    );
    assert_eq!(
        speakers("\"Stop!\" shouted Netanyahu. \"Now!\""),
        vec![some("Netanyahu"), some("Netanyahu")]
    );
}

#[test]
fn speaker_is_carried_across_paragraphs() {
    // A quote paragraph with no attribution goes on with the speaker.
    assert_eq!(
        speakers("\"We stand firm,\" Strock said.\n\n\"Talks go on.\""),
        vec![some("Strock"), some("Strock")]
    );
    assert_eq!(
        speakers("\"We stand firm,\" Strock said.\n\n\"Talks go on,\" she said."),
        vec![some("Strock"), some("Strock")]
    );
}

#[test]
fn speaker_is_not_carried_over_too_far() {
    // Not past someone new who speaks.
    assert_eq!(
        speakers(
            "\"We stand firm,\" Strock said. Two officials said the talks would go on. \
             \"Talks go on.\""
        ),
        vec![some("Strock"), None]
    );
    // Past a new speaker in reported speech: that speaker.
    assert_eq!(
        speakers("\"We stand firm,\" Strock said. Pell said no. \"Talks go on.\""),
        vec![some("Strock"), some("Pell")]
    );
    // Not to a quote with its own named speaker.
    assert_eq!(
        speakers("\"We stand firm,\" Strock said. \"Talks go on,\" Pell said."),
        vec![some("Strock"), some("Pell")]
    );
    // Not to `they` or `we`.
    assert_eq!(
        speakers("\"We stand firm,\" Strock said. \"Talks go on,\" they said."),
        vec![some("Strock"), None]
    );
    // Not to a quote inside a sentence with another subject.
    assert_eq!(
        speakers("Strock said: \"We stand firm.\" The paper called the talks \"a farce\"."),
        vec![some("Strock"), None]
    );
    // Not from a quote whose speaker is unknown.
    assert_eq!(
        speakers("\"I seek my brothers,\" he added. \"It is our duty.\""),
        vec![None, None]
    );
}

#[test]
fn pronoun_after_a_named_quote_is_that_speaker() {
    assert_eq!(
        speakers("\"We stand firm,\" Strock said. \"Talks go on,\" she said."),
        vec![some("Strock"), some("Strock")]
    );
    assert_eq!(
        speakers("According to Adeyemi, \"It is too early.\" She said: \"We wait.\""),
        vec![some("Adeyemi"), some("Adeyemi")]
    );
    assert_eq!(
        speakers(
            "Speaking at the quay, Chief Fire Officer Ruth Adeyemi said: \"It was hard.\" \
             She added: \"The panels burn fast.\""
        ),
        vec![
            some("Chief Fire Officer Ruth Adeyemi"),
            some("Chief Fire Officer Ruth Adeyemi")
        ]
    );
}

#[test]
fn pronoun_after_a_named_paraphrase_is_that_speaker() {
    assert_eq!(
        speakers(
            "Dariusz Kowal, who chairs the association, said the council had been told \
             about the leak last winter. \"We raised it at three meetings,\" he said. \
             \"Each time we were told the roof was monitored.\""
        ),
        vec![some("Dariusz Kowal"), some("Dariusz Kowal")]
    );
    // Weekdays and times name no one.
    assert_eq!(
        speaker(
            "Tierney said the harbour would reopen at 4 p.m. on Wednesday. \"We will \
             open on time,\" he said."
        ),
        some("Tierney")
    );
    // The speaker of the reported speech, not someone it names.
    assert_eq!(
        speaker("Varga said Marchetti was right. \"We agree,\" she said."),
        some("Varga")
    );
    // A sentence subject that the text named in full before.
    assert_eq!(
        speaker(
            "Minister Lena Soltau spoke first. Soltau rejected the criticism. \
             \"The money is there,\" she said."
        ),
        some("Soltau")
    );
    // A single word not known as a person stays unknown.
    assert_eq!(
        speaker("Soltau rejected the criticism. \"The money is there,\" she said."),
        None
    );
    // Also from the paragraph before.
    assert_eq!(
        speaker("Kowal said the council knew.\n\n\"We raised it,\" he said."),
        some("Kowal")
    );
}

#[test]
fn descriptions_refer_back() {
    assert_eq!(
        speakers(
            "\"We came to talk,\" Rusk said. \"Nothing more,\" the diplomat said. \
             \"Or less.\""
        ),
        vec![some("Rusk"), some("Rusk"), some("Rusk")]
    );
    assert_eq!(
        speakers("Anton Rusk said the talks went well. The President said: \"We agree.\""),
        vec![some("Anton Rusk")]
    );
    assert_eq!(
        speakers(
            "Rusk said the talks went well, according to the Marren envoy. \"We agree,\" \
             the Marren envoy said."
        ),
        vec![some("Rusk")]
    );
}

#[test]
fn narration_stops_the_carry() {
    // A quote with no attribution after a sentence of narration is
    // not given to the speaker before it.
    assert_eq!(
        speakers(
            "\"We stand firm,\" Strock said. The talks resumed on Monday after a week. \
             \"Talks go on.\""
        ),
        vec![some("Strock"), None]
    );
    // Reported speech by the same speaker in between still carries.
    assert_eq!(
        speakers(
            "\"We stand firm,\" Strock said. Strock said the talks would resume. \"Talks go on.\""
        ),
        vec![some("Strock"), some("Strock")]
    );
}

#[test]
fn an_attribution_not_understood_stops_the_carry() {
    assert_eq!(
        speakers("\"We stand firm,\" Strock said. \"Talks go on,\" they said. \"We wait.\""),
        vec![some("Strock"), None, None]
    );
}

#[test]
fn real_samples_speakers() {
    let read = |p: &str| crate::parse_plain_text(p, "x").text;
    let cases: &[(&str, &str, Option<&str>)] = &[
        (
            include_str!("../../../../samples/quote-word-changed-a.txt"),
            "We have been patient",
            Some("Marta Lindqvist"),
        ),
        (
            include_str!("../../../../samples/quote-word-changed-a.txt"),
            "If Korsby cannot tell us",
            Some("Marta Lindqvist"),
        ),
        (
            include_str!("../../../../samples/quote-word-changed-b.txt"),
            "We expect to begin updating",
            Some("Anders Falk"),
        ),
        (
            include_str!("../../../../samples/quote-word-changed-b.txt"),
            "That is precisely",
            Some("Josef Hartmann"),
        ),
        (
            include_str!("../../../../samples/quote-word-changed-b.txt"),
            "Velmora passengers",
            Some("Josef Hartmann"),
        ),
        (
            include_str!("../../../../samples/quote-truncated-speaker-a.txt"),
            "The port of Saltreach",
            Some("Laurian Trade Minister Jonah Pell"),
        ),
        (
            include_str!("../../../../samples/quote-truncated-speaker-a.txt"),
            "We have signed memorandums",
            Some("Mirela Constant"),
        ),
        // `Soltau rejected ... she said`, Soltau named in full before.
        (
            include_str!("../../../../samples/quote-truncated-speaker-a.txt"),
            "This time the money",
            Some("Soltau"),
        ),
        (
            include_str!("../../../../samples/quote-truncated-speaker-b.txt"),
            "What we do not have yet",
            Some("Lund"),
        ),
        (
            include_str!("../../../../samples/wire-trimmed-a.txt"),
            "This plant gives the city",
            Some("Helena Varga"),
        ),
        (
            include_str!("../../../../samples/wire-trimmed-a.txt"),
            "It is only how quickly",
            Some("Varga"),
        ),
        (
            include_str!("../../../../samples/multilingual-quotes-a.txt"),
            "These letters show",
            Some("Dr. Samuel K. Oyelaran"),
        ),
        (
            include_str!("../../../../samples/multilingual-quotes-a.txt"),
            "un trésor",
            Some("Dr. Fontaine"),
        ),
        (
            include_str!("../../../../samples/story-harbour-fire/wire.txt"),
            "The buildings were full",
            Some("Chief Fire Officer Ruth Adeyemi"),
        ),
        (
            include_str!("../../../../samples/story-harbour-fire/wire.txt"),
            "If the readings stay",
            Some("Tierney"),
        ),
        (
            include_str!("../../../../samples/story-harbour-fire/wire.txt"),
            "We are a family company",
            Some("Lisbeth Marr"),
        ),
        // `she said` in a paragraph of its own: the speaker before.
        (
            include_str!("../../../../samples/story-harbour-fire/wire.txt"),
            "We will rebuild",
            Some("Marr"),
        ),
        // `Tierney said. "...," the harbourmaster said.`: refers back.
        (
            include_str!("../../../../samples/story-harbour-fire/outlet-reworded.txt"),
            "If the readings stay",
            Some("Tierney"),
        ),
        (
            include_str!("../../../../samples/story-harbour-fire/outlet-reworded.txt"),
            "The buildings were full",
            Some("Chief Fire Officer Ruth Adeyemi"),
        ),
        (
            include_str!("../../../../samples/story-harbour-fire/outlet-reworded.txt"),
            "Our investigators",
            Some("Adeyemi"),
        ),
    ];
    for &(raw, start, want) in cases {
        let text = read(raw);
        assert_eq!(
            speaker_of(&text, start).as_deref(),
            want,
            "quote starting {start:?}"
        );
    }
}

#[test]
fn samples() {
    let read = |p: &str| crate::parse_plain_text(p, "x").text;
    let a = read(include_str!(
        "../../../../samples/knesset-azerbaijan-newsaz.txt"
    ));
    let b = read(include_str!(
        "../../../../samples/knesset-azerbaijan-jns.txt"
    ));
    assert_eq!(
        speaker_of(&a, "Azerbaijan is an important strategic ally"),
        some("PMO")
    );
    assert_eq!(speaker_of(&a, "Israel will continue"), some("Strock"));
    assert_eq!(speaker_of(&a, "These relationships align"), some("Strock"));
    assert_eq!(
        speaker_of(&a, "the relationship between"),
        some("National Missions Minister Orit Strock")
    );
    assert_eq!(speaker_of(&a, "Upgrading the Strategic"), None);
    assert_eq!(
        speaker_of(&b, "Azerbaijan is a key strategic ally"),
        some("Prime Minister's Office")
    );
    assert_eq!(
        speaker_of(&b, "I seek my brothers"),
        some("MK Moshiashvili")
    );
    assert_eq!(speaker_of(&b, "Upgrading the Strategic"), None);
}

#[test]
fn references_to_organisations_and_described_speakers() {
    // `it` is the organisation last named as speaking.
    let t = "The Tarn Weather Office said people should stay indoors. \"Do not go out,\" it said. \"Stay calm.\"";
    assert_eq!(
        speakers(t),
        vec![some("Tarn Weather Office"), some("Tarn Weather Office")]
    );
    // ... never a person.
    let t = "Ola Berg said the storm was near. \"Do not go out,\" it said.";
    assert_eq!(speakers(t), vec![None]);
    // `he` after someone introduced but not named: that someone.
    let t =
        "But a provincial official said it was an inside job. \"We are looking into it,\" he said.";
    assert_eq!(speakers(t), vec![None]);
    assert_eq!(descriptions(t), vec![some("a provincial official")]);
    // A description of an organisation that was not named as speaking.
    let t = "Ola Berg lost. \"The rule stands,\" the court said.";
    assert_eq!(speakers(t), vec![None]);
    assert_eq!(descriptions(t), vec![some("the court")]);
    // `the president` is whom the text titled President.
    let t = "Ola Berg met President Anneke Soltau. Berg said talks went well. \"We agree,\" the president said.";
    assert_eq!(speakers(t), vec![some("Anneke Soltau")]);
    // `the Prime Minister said` refers back like `the president said`.
    let t = "Prime Minister Anneke Soltau called the attack brutal. \"We will act,\" the Prime Minister said.";
    assert_eq!(speakers(t), vec![some("Anneke Soltau")]);
}

#[test]
fn sources_and_introduced_people() {
    // The words are Kim's; the report is where they were read, and
    // `he` goes on with Kim.
    let t = "Kim called the test \"a great event\" for the country, the Tarn report said. He also said the \"world will see\" it.";
    assert_eq!(speakers(t), vec![some("Kim"), some("Kim")]);
    // Someone introduced with a title in narration is whom `he` means.
    let t =
        "\"We go on,\" Rusk said. Labour MP Ola Berg echoed the concerns. \"Reckless,\" she wrote.";
    assert_eq!(speakers(t), vec![some("Rusk"), some("Ola Berg")]);
    let t = "\"We go on,\" Rusk said. The Foreign Secretary, Ida Brandt, one of the leaders of the campaign, expressed her delight. \"A great day,\" she said.";
    assert_eq!(speakers(t), vec![some("Rusk"), some("Ida Brandt")]);
    // `and said`: the sentence's subject, not the noun before `and`.
    let t = "He called on Tarn to \"act now\" against North Wexmoor, and said Tarn will be \"calling on everyone\".";
    let s = speakers(t);
    assert_ne!(s[1].as_deref(), Some("North Wexmoor"));
    // A weekday is no one.
    let t = "Later Friday morning, President Ola Berg denounced Tarn, tweeting, \"Tarn is behaving badly.\"";
    assert_eq!(speakers(t), vec![some("President Ola Berg")]);
}

#[test]
fn captions_run_into_the_text_before_them() {
    // A caption glued to the words before it (lost line breaks).
    let t = "\"We will decide later,\" Leicester added. Please update your browser \
             Radio Tarn's Ola Berg: \"I can't believe it.\" \"He's gone.\"";
    assert_eq!(
        speakers(t),
        [some("Leicester"), some("Ola Berg"), some("Ola Berg")]
    );
    let t = "Media playback is not supported Tarn Rovers vice-chairman Ola Berg: \"We go.\"";
    assert_eq!(speakers(t), [some("Ola Berg")]);
    // After a preposition the name is whom the words were for: someone
    // speaks, not said who, and the speaker followed stops.
    let t = "\"We will decide later,\" Leicester added. In a message to Ola \
             Berg: \"I can't believe it.\" \"He's gone.\"";
    assert_eq!(speakers(t), [some("Leicester"), None, None]);
}

#[test]
fn a_name_alone_after_the_quote_is_its_speaker() {
    let t = "\"I am just pleading to everyone, please listen,\" Ms Palaszczuk.";
    assert_eq!(speakers(t), [some("Ms Palaszczuk")]);
    // Not a place or a title ending a sentence of narration.
    let t = "\"It is over,\" in New York.";
    assert_eq!(speakers(t), [None]);
}

#[test]
fn a_full_stop_after_the_closing_mark_ends_the_sentence() {
    let t = "Opposition leader Jeremy Corbyn slams the plan as 'reckless'. Brexit \
             architect Nigel Farage celebrates 'no point of return'.";
    assert_eq!(speakers(t), [some("Jeremy Corbyn"), None]);
}

#[test]
fn relations_are_described_not_the_person_named() {
    let t = "The mother of Tarn attacker Ola Berg has said she is \"shocked and saddened\".";
    assert_eq!(speakers(t), [None]);
    assert_eq!(descriptions(t), [some("The mother of Ola Berg")]);
    let t = "Police came. The father of Ola Berg told the radio on Sunday that drugs had \
             caused it. \"My son was no terrorist,\" he told the radio. \"He never prayed.\"";
    assert_eq!(speakers(t), [None, None]);
    assert_eq!(
        descriptions(t),
        [
            some("The father of Ola Berg"),
            some("The father of Ola Berg")
        ]
    );
    let t = "Berg's lawyer has said there are \"obvious issues\" involved.";
    assert_eq!(descriptions(t), [some("Berg's lawyer")]);
    let t = "The parents of victim Ola Berg, 23, said: \"Much is to answer for.\"";
    assert_eq!(speakers(t), [None]);
    // A name in an appositive after the relation is the speaker.
    assert_eq!(
        speaker(
            "\"Much is to answer for,\" Ida Brandt, a spokeswoman for the Tarn Red Cross said."
        ),
        some("Ida Brandt")
    );
    assert_eq!(
        speaker("Leader of the opposition Ola Berg said it was \"a disgrace\"."),
        some("Ola Berg")
    );
}

#[test]
fn words_glued_by_a_lost_dash() {
    assert_eq!(
        speaker(
            "The Tarn Organization for Migration-has decried the attack, calling it \"unacceptable\"."
        ),
        some("Tarn Organization for Migration")
    );
    assert_eq!(
        speaker("Speaking to media, Berg said-Tarn was \"fed up with them\"."),
        some("Berg")
    );
}

#[test]
fn he_after_a_clause_opening_the_sentence() {
    let t = "Ida Brandt was found dead. When Ola Berg turned himself in, police said, he told \
             officers he came \"to settle a score.\"";
    assert_eq!(speakers(t), [some("Ola Berg")]);
}

#[test]
fn the_person_introduced_after_a_run_in_headline() {
    let t = "Berg was watched, Rusk said. Soldiers lauded for response Defense Minister Ida \
             Brandt commended the soldiers who responded to the threat. They acted with \
             \"remarkable calm\" to protect the public, she said.";
    assert_eq!(speakers(t)[0], some("Ida Brandt"));
}

#[test]
fn an_aside_then_that_after_a_closed_quote_is_no_attribution() {
    let t = "\"The raid was a failure,\" said Ida Brandt. \"Questions remain.\" Tarnco said, \
             when it announced the breach, that it was working with the police.";
    assert_eq!(speakers(t), [some("Ida Brandt"), some("Ida Brandt")]);
}

#[test]
fn a_role_of_an_organisation_then_the_name() {
    let t = "Travel was disrupted, the president of Tarn Airports, Ola Berg, told reporters. \
             \"It has been very disruptive,\" he said.";
    assert_eq!(speakers(t), [some("Ola Berg")]);
}

#[test]
fn a_question_mark_for_a_lost_character_is_no_punctuation() {
    assert_eq!(
        speaker("\"We were not a real organisation,\"?said Ola Berg, a lawyer."),
        some("Ola Berg")
    );
}

#[test]
fn a_short_description_before_an_aside() {
    let t = "\"The value is much more than a name,\" the scientists, mostly from the Tarn \
             Institute, wrote. \"It broke away.\"";
    assert_eq!(speakers(t), [None, None]);
    assert_eq!(
        descriptions(t),
        [some("the scientists"), some("the scientists")]
    );
    let t = "\"My son was no terrorist,\" the father, who is not being named, said.";
    assert_eq!(descriptions(t), [some("the father")]);
}

#[test]
fn abbreviations_before_a_comma() {
    assert_eq!(
        speaker("Ola Berg, D-Tarn., said that there is \"no basis\" for it."),
        some("Ola Berg")
    );
    assert_eq!(
        speaker("The army spokesman, Maj. Gen. Ola Berg, said acts came \"from hostile powers\"."),
        some("Maj. Gen. Ola Berg")
    );
}

#[test]
fn a_quote_in_a_relative_clause_does_not_cut_the_sentence() {
    let t = "Meanwhile, Tarn minister Ola Berg, who was hailed a \"hero\" for giving first aid \
             to a policeman, said he was \"heartbroken\" he could not do more.";
    assert_eq!(speakers(t)[1], some("Ola Berg"));
    // The words of the quote before are not read as the subject.
    let t = "\"Failure of the spillway will flood the town,\" the sheriff's department said, \
             adding \"This is not a drill.\"";
    assert_ne!(speakers(t)[1], some("Failure"));
}

#[test]
fn a_medium_or_a_statement_in_reported_speech() {
    assert_eq!(
        speaker("Tarn's state-run TNA news agency said a \"new type\" of missile was fired."),
        some("TNA")
    );
    assert_eq!(
        speaker("Berg's statement said the city's \"remarkable diversity\" was at stake."),
        some("Berg")
    );
}

#[test]
fn with_someone_saying() {
    let t = "The ministry rejected the permit, with a ministry spokesman calling it \
             \"fundamentally biased\".";
    assert_eq!(descriptions(t), [some("a ministry spokesman")]);
}
