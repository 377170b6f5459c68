//! Tests of a quote's own attribution.

use crate::quotes::speaker::tests::*;

#[test]
fn name_said_comma() {
    assert_eq!(
        speaker("Orit Strock said, \"We stand firm.\""),
        some("Orit Strock")
    );
}

#[test]
fn quote_then_name_said() {
    assert_eq!(speaker("\"We stand firm,\" Strock said."), some("Strock"));
    assert_eq!(speaker("“We stand firm,” Strock added."), some("Strock"));
    assert_eq!(
        speaker("\"We stand firm,\" Strock said in a statement on Monday."),
        some("Strock")
    );
}

#[test]
fn quote_then_said_name() {
    assert_eq!(
        speaker("\"We stand firm,\" said the Prime Minister's Office."),
        some("Prime Minister's Office")
    );
    assert_eq!(speaker("\"We stand firm,\" said he."), None);
    assert_eq!(
        speaker("\"Stop!\" shouted Netanyahu. \"Now!\""),
        some("Netanyahu")
    );
}

#[test]
fn each_speech_verb_with_that() {
    for verb in [
        "noted",
        "added",
        "stated",
        "told",
        "emphasized",
        "stressed",
        "warned",
        "explained",
        "argued",
        "wrote",
        "asked",
        "clarified",
        "affirmed",
        "declared",
        "insisted",
        "said",
    ] {
        let t = format!("MK Simon Moshiashvili {verb} that \"this is the only one.\"");
        assert_eq!(speaker(&t), some("MK Simon Moshiashvili"), "{verb}");
        let t = format!("Strock {verb} \"this is the only one.\"");
        assert_eq!(speaker(&t), some("Strock"), "{verb}");
    }
}

#[test]
fn verb_with_complement() {
    assert_eq!(
        speaker("Strock noted in her response that \"dialogue continues.\""),
        some("Strock")
    );
    assert_eq!(
        speaker("Strock told reporters: \"Dialogue continues.\""),
        some("Strock")
    );
}

#[test]
fn according_to() {
    assert_eq!(
        speaker("According to Strock, \"Israel will continue.\""),
        some("Strock")
    );
    assert_eq!(
        speaker("according to the Foreign Ministry, “talks go on.”"),
        some("Foreign Ministry")
    );
    assert_eq!(speaker("According to him, \"talks go on.\""), None);
}

#[test]
fn colon_after_noun_phrase() {
    assert_eq!(
        speaker("The Prime Minister's Office: \"Azerbaijan is a key ally.\""),
        some("Prime Minister's Office")
    );
    assert_eq!(
        speaker("the Prime Minister's Office said: \"Azerbaijan is a key ally.\""),
        some("Prime Minister's Office")
    );
    // A capitalised phrase at the end of a longer clause is no speaker.
    assert_eq!(
        speaker("He called for joining the Abraham Accords: \"This is the only one.\""),
        None
    );
}

#[test]
fn pronouns_give_none() {
    assert_eq!(speaker("\"I seek my brothers,\" he added."), None);
    assert_eq!(
        speaker("She further emphasized that \"ties deepen.\""),
        None
    );
    assert_eq!(speaker("He noted that \"this is unique.\""), None);
    assert_eq!(speaker("\"Ties deepen,\" they said."), None);
}

#[test]
fn lower_case_subject_gives_none() {
    assert_eq!(speaker("\"Ties deepen,\" officials said."), None);
    assert_eq!(speaker("the minister said: \"Ties deepen.\""), None);
}

#[test]
fn appositive_is_skipped() {
    assert_eq!(
        speaker("Strock, the minister in charge, said: \"Ties deepen.\""),
        some("Strock")
    );
    assert_eq!(
        speaker("\"Ties deepen,\" Strock, the minister in charge, said."),
        some("Strock")
    );
}

#[test]
fn verb_before_reported_speech_is_not_attribution() {
    let t = "On \"Upgrading the Alliance,\" Minister Orit Strock stated that the \
             government agrees.";
    assert_eq!(speaker(t), None);
    let t = "On \"Upgrading the Alliance,\" the PMO emphasized that \"Azerbaijan is key.\"";
    assert_eq!(speaker_of(t, "Upgrading"), None);
    assert_eq!(speaker_of(t, "Azerbaijan"), some("PMO"));
}

#[test]
fn other_sentences_are_not_looked_at() {
    // Reported speech just before: the quote goes on with its speaker.
    assert_eq!(speaker("Strock said so. \"Ties deepen.\""), some("Strock"));
    assert_eq!(
        speaker("Strock spoke to Mr. Smith. \"Ties deepen,\" said Dr. Jones."),
        some("Dr. Jones")
    );
}

#[test]
fn lower_case_role_before_name_is_dropped() {
    assert_eq!(
        speaker(
            "\"We have been patient,\" authority chief executive Marta Lindqvist told a \
             meeting of the city's transport committee."
        ),
        some("Marta Lindqvist")
    );
    assert_eq!(
        speaker("\"We stand firm,\" Ardenvale head coach Ruud Verhagen told the club's website."),
        some("Ruud Verhagen")
    );
    assert_eq!(
        speaker("authority chief executive Marta Lindqvist said: \"We stand firm.\""),
        some("Marta Lindqvist")
    );
}

#[test]
fn capitalised_title_is_kept() {
    assert_eq!(
        speaker("\"Cargo goes inland,\" Laurian Trade Minister Jonah Pell said."),
        some("Laurian Trade Minister Jonah Pell")
    );
    assert_eq!(
        speaker("\"Cargo goes inland,\" said the Minister of the Interior."),
        some("Minister of the Interior")
    );
    assert_eq!(
        speaker("\"Cargo goes inland,\" Prime Minister of Vesk Anneke Soltau said."),
        some("Prime Minister of Vesk Anneke Soltau")
    );
}

#[test]
fn title_split_by_and_keeps_the_name() {
    assert_eq!(
        speaker(
            "\"Castrel Bay cannot keep borrowing water,\" Water and Coasts Minister \
             Helena Varga told reporters in the provincial capital, Tennick."
        ),
        some("Helena Varga")
    );
}

#[test]
fn role_then_appositive_name() {
    assert_eq!(
        speaker(
            "\"We will cover the full cost,\" the company's project director, Anders Falk, said."
        ),
        some("Anders Falk")
    );
    assert_eq!(
        speaker(
            "\"We are rationing,\" the board's chair, Elin Morrow, said at a meeting with \
             growers in the market town of Hesketh."
        ),
        some("Elin Morrow")
    );
    assert_eq!(
        speaker("The company's project director, Anders Falk, said: \"We will pay.\""),
        some("Anders Falk")
    );
}

#[test]
fn said_role_name() {
    assert_eq!(
        speaker(
            "\"That is precisely the point,\" said committee member Josef Hartmann of the Civic List."
        ),
        some("Josef Hartmann")
    );
    assert_eq!(
        speaker("\"The workshop is mine,\" said chief conservator Pavel Ondra."),
        some("Pavel Ondra")
    );
    assert_eq!(
        speaker("\"We are not against it,\" said the group's director, Tomas Reyl."),
        some("Tomas Reyl")
    );
    assert_eq!(
        speaker("\"We have cranes,\" said the head of the Saltreach Port Authority, Oskar Lund."),
        some("Oskar Lund")
    );
    assert_eq!(
        speaker(
            "\"It is built for walking,\" said councillor Imogen Vasquez, who chairs the committee."
        ),
        some("Imogen Vasquez")
    );
}

#[test]
fn affiliation_after_a_name_is_dropped() {
    assert_eq!(
        speaker("According to Josef Hartmann of the Civic List, \"the test failed.\""),
        some("Josef Hartmann")
    );
    assert_eq!(
        speaker("Piet Osterhuis of the Rural League said: \"Fix the leaks.\""),
        some("Piet Osterhuis")
    );
    // A title with `of` is no affiliation.
    assert_eq!(
        speaker("According to the Bank of England, \"rates stay.\""),
        some("Bank of England")
    );
}

#[test]
fn name_then_appositive_role() {
    assert_eq!(
        speaker("Josef Hartmann, the leader of the Civic List, said: \"The test failed.\""),
        some("Josef Hartmann")
    );
    assert_eq!(
        speaker("\"The test failed,\" Hartmann, the leader of the Civic List, said."),
        some("Hartmann")
    );
    assert_eq!(
        speaker("Lisbeth Marr, the firm's managing director, said: \"Everything is lost.\""),
        some("Lisbeth Marr")
    );
}

#[test]
fn relative_clause_is_skipped() {
    assert_eq!(
        speaker("Dariusz Kowal, who chairs the association, said: \"We raised it.\""),
        some("Dariusz Kowal")
    );
    assert_eq!(
        speaker(
            "Walter Pryce, who farms 300 hectares of barley and sugar beet near Hesketh, \
             said: \"I have left a field.\""
        ),
        some("Walter Pryce")
    );
}

#[test]
fn statement_and_social_media() {
    assert_eq!(
        speaker("\"We stand firm,\" Strock said in a statement."),
        some("Strock")
    );
    assert_eq!(
        speaker("\"We stand firm,\" Strock wrote on social media."),
        some("Strock")
    );
    assert_eq!(
        speaker("Strock wrote on social media: \"We stand firm.\""),
        some("Strock")
    );
    assert_eq!(
        speaker("In a statement, Mr. Pike said: \"I kept these letters.\""),
        some("Mr. Pike")
    );
}

#[test]
fn role_only_speaker_stays_unknown() {
    assert_eq!(
        speaker("\"Talks go on,\" a spokeswoman for the ministry said."),
        None
    );
    assert_eq!(
        speaker("\"Talks go on,\" said a spokeswoman for the ministry."),
        None
    );
    assert_eq!(
        speaker("According to a spokeswoman for the ministry, \"talks go on.\""),
        None
    );
    assert_eq!(speaker("\"Talks go on,\" the report by Strock said."), None);
    // Someone new and unnamed is an attribution of its own: no carrying
    // over.
    assert_eq!(
        speakers("\"Talks go on,\" Strock said. \"They end,\" a harbourmaster said."),
        vec![some("Strock"), None]
    );
    assert_eq!(
        speakers("\"Talks go on,\" Strock said. \"They end,\" officials said."),
        vec![some("Strock"), None]
    );
}

#[test]
fn participle_takes_the_sentence_subject() {
    assert_eq!(
        speaker("Halvorsen rejected the offer on Friday, saying: \"We are not for sale.\""),
        some("Halvorsen")
    );
    assert_eq!(
        speaker("Ida Brandt left the room, adding that \"nothing has been agreed\"."),
        some("Ida Brandt")
    );
}

#[test]
fn statement_by_a_person() {
    assert_eq!(
        speaker(
            "\"We are delighted,\" said a statement by the founder and chief executive \
             of the firm, Ola Berg, on Monday."
        ),
        some("Ola Berg")
    );
    assert_eq!(
        speaker("The buyers \"paid in full\", Mr Berg's statement added."),
        some("Mr Berg")
    );
}

#[test]
fn organisation_and_role_before_the_person() {
    assert_eq!(
        speaker("\"Rates will fall,\" said Fenwick Bank chief Asian strategist Ola Berg."),
        some("Ola Berg")
    );
    assert_eq!(
        speaker("\"We wait,\" said Kremlin spokesman Anton Rusk."),
        some("Anton Rusk")
    );
    assert_eq!(
        speaker("Tarn Radio's Ola Berg said: \"The polls are open.\""),
        some("Ola Berg")
    );
    // An institution keeps its owner.
    assert_eq!(
        speaker("\"We wait,\" the Prime Minister's Office said."),
        some("Prime Minister's Office")
    );
    // A place run into the name.
    assert_eq!(
        speaker("Our envoy in Geneva Anton Rusk said: \"We wait.\""),
        some("Anton Rusk")
    );
}

#[test]
fn long_appositives() {
    assert_eq!(
        speaker(
            "Ola Berg, a lawyer with the Tarn Centre for Civic Rights, New York, said the \
             order \"is still a ban\"."
        ),
        some("Ola Berg")
    );
    assert_eq!(
        speaker("Ida Brandt, 18, from Wexmoor said: \"We ran.\""),
        some("Ida Brandt")
    );
    assert_eq!(
        speaker(
            "Anton Rusk, who sits on the committee and took part in the inquiry, told \
             the radio: \"That is the rule.\""
        ),
        some("Anton Rusk")
    );
    // Not the end of a phrase before an unnamed speaker.
    assert_eq!(
        speaker(
            "The house was sold to the Tarn Company, an official with the city told \
             reporters. \"It was legal,\" he said."
        ),
        None
    );
}

#[test]
fn words_reported_in_a_sentence() {
    assert_eq!(speaker("Rusk called the plan \"a farce\"."), some("Rusk"));
    assert_eq!(
        speaker("Ida Brandt described the vote as \"a disgrace\"."),
        some("Ida Brandt")
    );
    assert_eq!(
        speakers("Rusk said he and Berg had \"much to discuss\" and would \"meet again\"."),
        vec![some("Rusk"), some("Rusk")]
    );
    assert_eq!(
        speaker("Rusk dismissed the report and reiterated that it was \"fake\"."),
        some("Rusk")
    );
    // The subject of a relative clause is not the sentence's.
    assert_eq!(
        speaker("Rusk criticised the envoy who accused him of \"lying\"."),
        None
    );
}

#[test]
fn a_quote_ending_its_sentence_takes_nothing_after_it() {
    assert_eq!(
        speakers(
            "\"We won,\" Rusk said. \"It is over.\" Berg, 53, has vowed to appeal the result."
        ),
        vec![some("Rusk"), some("Rusk")]
    );
}

#[test]
fn more_subjects_before_the_verb() {
    assert_eq!(speaker("\"We go on,\" Rusk went on to say."), some("Rusk"));
    assert_eq!(
        speaker("Rusk in a statement denied meeting \"any foreign officials\"."),
        some("Rusk")
    );
    assert_eq!(
        speakers("Ida Brandt walked to the door. She turned round and said: \"We are done.\""),
        vec![some("Ida Brandt")]
    );
    // A full stop inside the marks, then a short attribution.
    assert_eq!(
        speaker("\"We are done.\" Rusk said after the vote."),
        some("Rusk")
    );
}

#[test]
fn capitalised_words_are_no_verbs() {
    assert_eq!(
        speaker("Mr Rusk said the United States has \"fallen behind\"."),
        some("Mr Rusk")
    );
}

#[test]
fn role_appositive_without_article() {
    assert_eq!(
        speakers(
            "Ola Berg, director of the Tarn Institute, says the talks will fail. \
             \"Nobody is listening,\" he said."
        ),
        vec![some("Ola Berg")]
    );
}

#[test]
fn verb_glued_by_a_lost_dash() {
    assert_eq!(
        speaker("Spokesman Ola Berg-told reporters: \"We wait.\""),
        some("Spokesman Ola Berg")
    );
}

#[test]
fn speakers_described_but_not_named() {
    let t = "\"We go on,\" a spokesman for the ministry said. \"We wait.\"";
    assert_eq!(speakers(t), vec![None, None]);
    assert_eq!(
        descriptions(t),
        vec![
            some("a spokesman for the ministry"),
            some("a spokesman for the ministry")
        ]
    );
    // Reported speech, then her words.
    let t = "One voter told reporters she was worried. \"My mother never voted.\"";
    assert_eq!(speakers(t), vec![None]);
    assert_eq!(descriptions(t), vec![some("One voter")]);
    // Someone named before, referred back to, is no description.
    assert_eq!(descriptions("\"We go on,\" the diplomat said."), vec![None]);
    // A name wins over the description, and ends it.
    let t = "\"We go on,\" a spokesman said. \"We wait,\" Strock said. \"Later.\"";
    assert_eq!(speakers(t), vec![None, some("Strock"), some("Strock")]);
    assert_eq!(descriptions(t), vec![some("a spokesman"), None, None]);
    // `said Kremlin aide.`: the word before the role is not the speaker.
    assert_eq!(speakers("\"We go on,\" said Kremlin aide."), vec![None]);
}

#[test]
fn said_following_a_meeting() {
    assert_eq!(
        speaker("\"We go on,\" Strock said following the meeting."),
        some("Strock")
    );
}

#[test]
fn appositives_relative_clauses_and_statements() {
    assert_eq!(
        speakers("Rep. Ola Berg, D-Tarn, said there was \"no basis\" for it."),
        vec![some("Rep. Ola Berg")]
    );
    assert_eq!(
        speakers(
            "\"We go on,\" Father Ola Berg, executive secretary for public affairs at the Tarn Conference, said."
        ),
        vec![some("Father Ola Berg")]
    );
    assert_eq!(
        speakers("Ola Berg, who has called the plan a \"farce\", voted no."),
        vec![some("Ola Berg")]
    );
    // Not a passive relative clause.
    assert_eq!(
        speakers(
            "Ola Berg said the employer of Ida Brandt, who was dismissed in 2009, should \"give way\"."
        ),
        vec![some("Ola Berg")]
    );
    assert_eq!(
        speakers("\"We go on,\" added the Tarn statement."),
        vec![some("Tarn")]
    );
    assert_eq!(
        speakers("\"We go on,\" read the statement from the Tarn Council."),
        vec![some("Tarn Council")]
    );
    assert_eq!(
        speakers("Tarn Chamber of Commerce President Ola Berg praised the \"bold steps\"."),
        vec![some("Tarn Chamber of Commerce President Ola Berg")]
    );
    // After the verb: a participle, `of`.
    assert_eq!(
        speakers("\"We go on,\" Berg said referring to the talks."),
        vec![some("Berg")]
    );
    assert_eq!(
        speakers("\"He is the best,\" Ola Berg once said of Rusk."),
        vec![some("Ola Berg")]
    );
}

#[test]
fn according_to_after_the_quote() {
    let t = "The comeback was \"crazy and unbelievable\", according to midfielder Ivan Rakitic.";
    assert_eq!(speaker(t), some("Ivan Rakitic"));
    let t = "It was \"a disaster\", according to a spokeswoman for the ministry.";
    assert_eq!(speaker(t), None);
}

#[test]
fn captions_after_a_quote() {
    let t = "\"I threw myself at it with everything.\" Barcelona match winner Sergi Roberto. \
             \"It's the best match I have ever played.\" Barcelona forward Neymar.";
    assert_eq!(speakers(t), [some("Sergi Roberto"), some("Neymar")]);
    // A sentence of narration after a closed quote is no caption.
    let t = "\"We are ready.\" Tarn Rovers won the game.";
    assert_eq!(speakers(t), [None]);
}

#[test]
fn more_reporting_verbs() {
    let t = "Judge John Mativo ruled that the closure was ordered \"without proper consultation\".";
    assert_eq!(speaker(t), some("Judge John Mativo"));
}

#[test]
fn a_participle_after_a_speech_verb_takes_its_subject() {
    let t = "Marjoli Gajecka told CNN she had seen him. Masood kept to himself, she said, \
             adding: \"He was never really talkative with neighbors.\"";
    assert_eq!(speaker(t), some("Marjoli Gajecka"));
}
