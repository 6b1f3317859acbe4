//! The API's shape as the frontend sees it.

use serde_json::json;

use crate::helpers::{MANAGER, TestApp, pluck};

/// The frontend's operations of this issue, run as written against the demo data.
#[tokio::test]
async fn the_frontend_operations_run_as_written() {
    let app = TestApp::spawn().await;
    let fragments = "fragment UserErrorFields on UserError { field message code }";
    let login = format!(
        "mutation Login($email: String!, $password: String!) {{
          login(input: {{ email: $email, password: $password }}) {{
            token viewer {{ id email name role mustChangePassword }} userErrors {{ ...UserErrorFields }} }} }} {fragments}"
    );
    let answer = app.graphql(&login, json!({ "email": MANAGER.0, "password": MANAGER.1 }), None).await;
    let token = answer["data"]["login"]["token"].as_str().expect("a token").to_string();

    let answer = app
        .graphql(
            "query OrganizationUsers { account { users { id email name role status lastLoginAt } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(answer["data"]["account"]["users"].as_array().unwrap().len(), 2, "{answer}");
    let ids = pluck(&answer["data"]["account"]["users"], "id");
    assert!(ids.iter().all(|id| !id.chars().all(|c| c.is_ascii_digit())), "ids are opaque: {ids:?}");

    let answer = app
        .graphql(
            "query Viewer { viewer { id email name role mustChangePassword lastLoginAt } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(answer["data"]["viewer"]["name"], "Dana Whitfield");
    let answer = app.graphql("mutation Logout { logout { ok } }", json!({}), Some(&token)).await;
    assert_eq!(answer["data"]["logout"]["ok"], true);
}

/// GraphiQL's Docs and codegen's comments read the schema's descriptions: every type, field,
/// argument and enum value of `schema.graphql` has one, and each scalar says where it is specified.
#[test]
fn everything_in_the_schema_is_described() {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
    let sdl = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    let schema = async_graphql::parser::parse_schema(&sdl).expect("schema.graphql parses");
    let mut missing = Vec::new();
    for definition in schema.definitions {
        let TypeSystemDefinition::Type(definition) = definition else { continue };
        let ty = definition.node;
        let name = ty.name.node.to_string();
        if ty.description.is_none() {
            missing.push(format!("type {name}"));
        }
        let mut fields = Vec::new();
        match &ty.kind {
            TypeKind::Object(object) => fields.extend(&object.fields),
            TypeKind::Interface(interface) => fields.extend(&interface.fields),
            TypeKind::Enum(values) => {
                let undescribed = values.values.iter().filter(|v| v.node.description.is_none());
                missing.extend(undescribed.map(|v| format!("value {name}.{}", v.node.value.node)));
            }
            TypeKind::InputObject(input) => {
                let undescribed = input.fields.iter().filter(|f| f.node.description.is_none());
                missing.extend(undescribed.map(|f| format!("input field {name}.{}", f.node.name.node)));
            }
            TypeKind::Scalar => {
                if !ty.directives.iter().any(|d| d.node.name.node == "specifiedBy") {
                    missing.push(format!("@specifiedBy on {name}"));
                }
            }
            TypeKind::Union(_) => {}
        }
        for field in fields {
            let field = &field.node;
            if field.description.is_none() {
                missing.push(format!("field {name}.{}", field.name.node));
            }
            for argument in field.arguments.iter().filter(|a| a.node.description.is_none()) {
                missing.push(format!("argument {name}.{}({})", field.name.node, argument.node.name.node));
            }
        }
    }
    assert!(missing.is_empty(), "{} without a description:\n{}", missing.len(), missing.join("\n"));
}
