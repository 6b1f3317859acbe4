//! French (Canada) for a Quebec account the billing engine opens through the Partner API: the
//! invitation, the API's refusals, the invoice notice and PDF, and the receipt, as its office
//! manager reads them; English, unchanged, for an Ontario account and for whoever chooses it.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::{
    downloads::{local, pdf_text},
    helpers::{Email, Options, TestApp},
    operations::operation,
    partner::{account_body, call, create_key},
};

const MANAGER: &str = "direction@clinique-lavoie.example";
const PASSWORD: &str = "Harbour81Quill47Meadow";
const NBSP: char = '\u{a0}';

fn quebec_account() -> Value {
    json!({
        "name": "Clinique dentaire Lavoie",
        "billingAddress": { "line1": "1200 rue Sherbrooke O", "city": "Montréal", "province": "QC", "postalCode": "h3a 1h6", "country": "CA" },
        "timeZone": "America/Toronto",
        "currency": "CAD"
    })
}

/// How French writes a day in Canada, from a table of our own (not the service's formatter).
fn french_day(day: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    format!("{} {} {}", day.day(), MONTHS[day.month0() as usize], day.year())
}

/// The value after `label :` (French puts a no-break space before the colon).
fn french_line(mail: &Email, label: &str) -> String {
    let prefix = format!("{label}{NBSP}: ");
    mail.text
        .lines()
        .find_map(|line| line.trim().strip_prefix(&prefix).map(|v| v.trim().to_string()))
        .unwrap_or_else(|| panic!("no line {prefix:?} in {}", mail.text))
}

/// A GraphQL request as a browser sends it, with its `Accept-Language`.
async fn graphql_in(
    app: &TestApp,
    language: Option<&str>,
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> Value {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(language) = language {
        request = request.header("accept-language", language);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

/// The email to `to` whose subject starts with `subject`, once `to` has `count` of them.
async fn email_about(app: &TestApp, to: &str, count: usize, subject: &str) -> Email {
    let emails = app.emails_to(to, count).await;
    let subjects: Vec<&str> = emails.iter().map(|email| email.subject.as_str()).collect();
    emails
        .iter()
        .find(|email| email.subject.starts_with(subject))
        .cloned()
        .unwrap_or_else(|| panic!("{subject:?} in {subjects:?}"))
}

fn messages(errors: &Value) -> Vec<(String, String)> {
    errors
        .as_array()
        .unwrap_or_else(|| panic!("a list of errors: {errors}"))
        .iter()
        .map(|e| {
            (e["code"].as_str().unwrap_or_default().to_string(), e["message"].as_str().unwrap().to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_quebec_account_opened_by_the_billing_engine_reads_french_everywhere() {
    let app = TestApp::spawn_with(Options { demo_data: false, ..Options::default() }).await;
    let key = create_key(&app, "billing-engine");

    // The account follows its Quebec address; an Ontario one stays English.
    let (status, account) = call(&app, "PUT", "/accounts/2001", Some(&key), &quebec_account()).await;
    assert_eq!((status, account["locale"].as_str()), (201, Some("fr-CA")), "{account}");
    let (status, ontario) = call(&app, "PUT", "/accounts/2002", Some(&key), &account_body()).await;
    assert_eq!((status, ontario["locale"].as_str()), (201, Some("en-CA")), "{ontario}");
    let mut wrong = quebec_account();
    wrong["locale"] = json!("de-DE");
    let (status, refused) = call(&app, "PUT", "/accounts/2001", Some(&key), &wrong).await;
    assert_eq!(status, 422, "{refused}");
    // An update that says nothing of the language keeps it.
    let mut renamed = quebec_account();
    renamed["name"] = json!("Clinique dentaire Lavoie inc.");
    let (status, kept) = call(&app, "PUT", "/accounts/2001", Some(&key), &renamed).await;
    assert_eq!((status, kept["locale"].as_str()), (200, Some("fr-CA")), "{kept}");

    // The invitation, in French.
    let invited = json!({ "email": MANAGER, "name": "Nadia Lavoie", "role": "OFFICE_MANAGER" });
    let (status, user) = call(&app, "POST", "/accounts/2001/users", Some(&key), &invited).await;
    assert_eq!((status, &user["locale"]), (201, &Value::Null), "theirs is the account's: {user}");
    let invitation = app.email_to(MANAGER).await;
    assert_eq!(invitation.subject, "Votre accès au portail de facturation de Clinique dentaire Lavoie inc.");
    assert!(invitation.text.starts_with("Bonjour Nadia Lavoie,"), "{}", invitation.text);
    assert_eq!(french_line(&invitation, "Nom d'utilisateur"), MANAGER);
    assert!(invitation.html.contains("Mot de passe temporaire"), "{}", invitation.html);
    let temporary = french_line(&invitation, "Mot de passe temporaire");

    // Before login, the browser's language; English when it names none of ours.
    let login = operation("Login");
    let bad = json!({ "email": MANAGER, "password": "not the password" });
    let french = graphql_in(&app, Some("fr-CA,fr;q=0.9,en;q=0.5"), &login, bad.clone(), None).await;
    let english = graphql_in(&app, Some("de-DE"), &login, bad, None).await;
    assert_eq!(
        messages(&french["data"]["login"]["userErrors"]),
        [("INVALID_CREDENTIALS".into(), "L'adresse courriel ou le mot de passe est incorrect.".into())]
    );
    assert_eq!(
        messages(&english["data"]["login"]["userErrors"]),
        [("INVALID_CREDENTIALS".into(), "The email address or password is incorrect.".into())]
    );
    let anonymous = graphql_in(&app, Some("fr"), &operation("Dashboard"), json!({}), None).await;
    let error = &anonymous["errors"][0];
    assert_eq!(
        (&error["extensions"]["code"], &error["message"]),
        (&json!("UNAUTHENTICATED"), &json!("Vous devez être connecté.")),
        "{anonymous}"
    );

    // Logged in, the viewer's language, whatever the browser says; codes unchanged.
    let token = app.login(MANAGER, &temporary).await;
    let change = operation("ChangePassword");
    let weak = json!({ "currentPassword": temporary, "newPassword": "court1" });
    let refused = graphql_in(&app, Some("en-CA"), &change, weak, Some(&token)).await;
    let refusals = messages(&refused["data"]["changePassword"]["userErrors"]);
    assert!(
        refusals.contains(&(
            "PASSWORD_TOO_SHORT".into(),
            "Le mot de passe doit compter au moins 15 caractères.".into()
        )),
        "{refusals:?}"
    );
    let rules = graphql_in(&app, None, "{ passwordRules { code message } }", json!({}), Some(&token)).await;
    assert!(
        rules["data"]["passwordRules"][0]["message"].as_str().unwrap().starts_with("Le mot de passe"),
        "{rules}"
    );
    let changed = app
        .run(&token, "ChangePassword", json!({ "currentPassword": temporary, "newPassword": PASSWORD }))
        .await;
    assert_eq!(changed["changePassword"]["viewer"]["mustChangePassword"], false, "{changed}");
    let token = app.login(MANAGER, PASSWORD).await;
    let me = app.graphql("{ viewer { id locale } account { locale } }", json!({}), Some(&token)).await;
    assert_eq!(
        (&me["data"]["viewer"]["locale"], &me["data"]["account"]["locale"]),
        (&json!("FR_CA"), &json!("FR_CA"))
    );
    let address = json!({ "billingAddress": { "line1": "1200 rue Sherbrooke O", "city": "Montréal", "province": "QC", "postalCode": "12345", "country": "CA" } });
    let refused = app.graphql(&operation("UpdateProfile"), json!({ "input": address }), Some(&token)).await;
    assert_eq!(
        messages(&refused["data"]["updateProfile"]["userErrors"]),
        [("INVALID_ADDRESS".into(), "\"12345\" n'est pas un code postal canadien comme M5V 1J5.".into())]
    );

    // The invoice notice and the invoice, in French, with Quebec's taxes by their French names.
    let today = Utc::now().date_naive();
    let due = today + Duration::days(21);
    let invoice = json!({
        "periodStart": (today - Duration::days(30)).to_string(),
        "periodEnd": (today - Duration::days(1)).to_string(),
        "issuedOn": today.to_string(),
        "dueOn": due.to_string(),
        "lines": [
            { "description": "Postes PBX hébergés (40)", "amount": "1000.00" },
            { "description": "Interurbains", "amount": "73.94" }
        ],
        "taxes": [{ "name": "GST", "amount": "53.70" }, { "name": "QST", "amount": "107.13" }],
        "total": "1234.77"
    });
    let (status, posted) =
        call(&app, "PUT", "/accounts/2001/invoices/INV-2001-12", Some(&key), &invoice).await;
    assert_eq!(status, 201, "{posted}");
    let notice = email_about(&app, MANAGER, 2, "Nouvelle facture").await;
    assert_eq!(notice.subject, "Nouvelle facture INV-2001-12");
    let expected = format!(
        "La facture INV-2001-12 de 1{NBSP}234,77{NBSP}$ est prête. Elle est payable au plus tard le {}.",
        french_day(due)
    );
    assert!(notice.text.contains(&expected), "{expected:?} in {:?}", notice.text);

    let list = app.run(&token, "Invoices", json!({ "first": 1 })).await;
    let id = list["account"]["invoices"]["edges"][0]["node"]["id"].clone();
    let details = app.run(&token, "InvoiceDetails", json!({ "id": id })).await;
    let pdf = reqwest::get(local(&app, details["invoice"]["pdfUrl"].as_str().unwrap())).await.unwrap();
    assert_eq!(pdf.status(), 200);
    let bytes = pdf.bytes().await.unwrap();
    // To look at: `pdftoppm -png target/tmp/french-invoice.pdf`.
    let _ = std::fs::create_dir_all("target/tmp")
        .and_then(|()| std::fs::write("target/tmp/french-invoice.pdf", &bytes));
    // pdftotext keeps the no-break spaces; a reader sees spaces.
    let text = pdf_text(&bytes).replace(NBSP, " ");
    for printed in [
        "FACTURE".to_string(),
        "Compte 2001".into(),
        "FACTURER À".into(),
        "TPS 5 %".into(),
        "TVQ 9,975 %".into(),
        "Sous-total".into(),
        "1 073,94".into(),
        "1 234,77".into(),
        "Montant dû (CAD)".into(),
        "Payable le".into(),
        french_day(due),
        "Page 1 de 1".into(),
    ] {
        assert!(text.contains(&printed), "{printed:?} in the PDF: {text}");
    }
    assert!(!text.contains("Subtotal") && !text.contains("GST"), "no English left: {text}");

    // The receipt.
    let visa = app.add_payment_method(&token, "pm_card_visa").await;
    let paid = app.make_payment(&token, "10.00", &visa["id"], "premier-paiement").await;
    assert_eq!(paid["payment"]["status"], "SUCCEEDED", "{paid}");
    let receipt = email_about(&app, MANAGER, 3, "Paiement reçu").await;
    assert_eq!(receipt.subject, format!("Paiement reçu{NBSP}: 10,00{NBSP}$"));
    assert!(receipt.text.contains("par Visa se terminant par 4242 le "), "{}", receipt.text);
    // The statement's lines are written in the account's language.
    let history = app.run(&token, "TransactionHistory", json!({ "first": 10 })).await;
    let descriptions: Vec<&str> = history["account"]["transactions"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["description"].as_str().unwrap())
        .collect();
    assert_eq!(descriptions, ["Paiement par Visa se terminant par 4242", "Facture INV-2001-12"]);

    // Whoever chooses English reads English: a colleague invited in English, and the manager
    // once they switch.
    let colleague = "comptable@clinique-lavoie.example";
    let invite = "mutation($email: String!) { inviteUser(input: { email: $email, name: \"Sam Roy\", role: MEMBER, locale: EN_CA }) { user { locale } userErrors { message } } }";
    let invited = app.graphql(invite, json!({ "email": colleague }), Some(&token)).await;
    assert_eq!(invited["data"]["inviteUser"]["user"]["locale"], "EN_CA", "{invited}");
    let english_invitation = app.email_to(colleague).await;
    assert_eq!(english_invitation.subject, "Your Clinique dentaire Lavoie inc. Billing Portal login");
    assert!(english_invitation.line_value("Temporary password").is_some(), "{}", english_invitation.text);
    let switch = "mutation($id: ID!) { updateUser(input: { id: $id, locale: EN_CA }) { user { locale } userErrors { message } } }";
    let switched = app.graphql(switch, json!({ "id": me["data"]["viewer"]["id"] }), Some(&token)).await;
    assert_eq!(switched["data"]["updateUser"]["user"]["locale"], "EN_CA", "{switched}");
    let refused = app.graphql(&operation("UpdateProfile"), json!({ "input": address }), Some(&token)).await;
    assert_eq!(
        messages(&refused["data"]["updateProfile"]["userErrors"]),
        [("INVALID_ADDRESS".into(), "\"12345\" is not a Canadian postal code such as M5V 1J5.".into())]
    );

    // Ontario's office manager reads what every English reader always has.
    let ontario_manager = "owner@lakeside-physio.example";
    let invited = json!({ "email": ontario_manager, "name": "Dana Lake", "role": "OFFICE_MANAGER" });
    assert_eq!(call(&app, "POST", "/accounts/2002/users", Some(&key), &invited).await.0, 201);
    let english = app.email_to(ontario_manager).await;
    assert_eq!(english.subject, "Your Lakeside Physiotherapy Billing Portal login");
    assert!(
        english.text.replace("\r\n", "\n").starts_with("Hello Dana Lake,\n\nYou have been invited"),
        "{}",
        english.text
    );
}
