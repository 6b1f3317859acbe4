//! What a portal user does, as typed calls on the app: the contract's operations, run as written,
//! named for what they do, so that a test reads as the steps of its story.

use serde_json::{Value, json};

use super::{TestApp, cents};
use crate::operations::operation;

impl TestApp {
    /// Runs the contract's operation `name` as the user of `token`; answers its `data`, and fails
    /// the test on any error in the response.
    pub async fn run(&self, token: &str, name: &str, variables: Value) -> Value {
        let answer = self.graphql(&operation(name), variables, Some(token)).await;
        assert!(answer["errors"].is_null(), "{name}: {answer}");
        answer["data"].clone()
    }

    /// The account's payment methods, as `PaymentMethods` lists them.
    pub async fn payment_methods(&self, token: &str) -> Vec<Value> {
        let data = self.run(token, "PaymentMethods", json!({})).await;
        data["account"]["paymentMethods"].as_array().cloned().unwrap_or_else(|| panic!("a list: {data}"))
    }

    /// The payment method Auto Pay charges; fails the test when there is none.
    pub async fn auto_pay_method(&self, token: &str) -> Value {
        let methods = self.payment_methods(token).await;
        methods.into_iter().find(|m| m["isAutoPay"] == true).expect("an Auto Pay method")
    }

    /// Puts a test payment method on file (`AddPaymentMethod`); answers the method.
    pub async fn add_payment_method(&self, token: &str, gateway_id: &str) -> Value {
        let data = self.run(token, "AddPaymentMethod", json!({ "gatewayPaymentMethodId": gateway_id })).await;
        let payload = &data["addPaymentMethod"];
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
        payload["paymentMethod"].clone()
    }

    /// `MakePayment` of `amount` (a decimal string) with the method `method_id` and the
    /// idempotency key `key`; answers its payload.
    pub async fn make_payment(&self, token: &str, amount: &str, method_id: &Value, key: &str) -> Value {
        let variables = json!({ "amount": amount, "paymentMethodId": method_id, "idempotencyKey": key });
        self.run(token, "MakePayment", variables).await["makePayment"].clone()
    }

    /// The account's current balance in cents, as the Dashboard shows it.
    pub async fn balance(&self, token: &str) -> i64 {
        cents(&self.run(token, "Dashboard", json!({})).await["account"]["currentBalance"]["amount"])
    }
}
