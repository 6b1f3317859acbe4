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

# A transaction's line in the account's statement, written once in the account's language.
ledger-payment-by = { $auto-pay ->
    [yes] Payment by { $method } (Auto Pay)
   *[no] Payment by { $method }
}
ledger-payment = { $auto-pay ->
    [yes] Payment (Auto Pay)
   *[no] Payment
}
ledger-refund = Refund
ledger-invoice = Invoice { $number }
