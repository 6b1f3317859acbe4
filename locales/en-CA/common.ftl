# Pieces every kind of text uses.

# An amount: $amount is already written as the language writes numbers.
money = { $amount } { $currency }
# How a person recognises a payment method.
card = { $brand } ending { $last4 }
# What a payment gateway said when it refused a payment: in English, the gateway's own words.
payment-declined = { $code ->
   *[other] { $message }
}
payment-declined-unknown = The payment was declined.
# Text that is the same in every language (see `Text::verbatim`).
verbatim = { $text }
