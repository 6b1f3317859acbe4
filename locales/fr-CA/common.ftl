# Pieces every kind of text uses.

# Un montant : $amount est déjà écrit comme le français écrit les nombres (1 234,56).
money = { $currency ->
    [CAD] { $amount } $
   *[other] { $amount } { $currency }
}
card = { $brand } se terminant par { $last4 }
# Ce que la passerelle de paiement a répondu, d'après son code (Stripe répond en anglais).
payment-declined = { $code ->
    [insufficient_funds] Les fonds sont insuffisants.
    [expired_card] La carte est expirée.
    [incorrect_cvc] Le code de sécurité de la carte est incorrect.
    [incorrect_number] Le numéro de la carte est incorrect.
    [processing_error] Une erreur s'est produite pendant le traitement de la carte. Réessayez plus tard.
    [authentication_required] Votre banque demande que vous confirmiez ce paiement.
    [lost_card] La carte a été refusée.
    [stolen_card] La carte a été refusée.
    [card_declined] La carte a été refusée.
   *[other] Le paiement a été refusé. ({ $message })
}
payment-declined-unknown = Le paiement a été refusé.
# Un texte identique dans toutes les langues (voir `Text::verbatim`).
verbatim = { $text }

# La ligne d'une opération au relevé du compte, écrite une fois dans la langue du compte.
ledger-payment-by = { $auto-pay ->
    [yes] Paiement par { $method } (paiement automatique)
   *[no] Paiement par { $method }
}
ledger-payment = { $auto-pay ->
    [yes] Paiement (paiement automatique)
   *[no] Paiement
}
ledger-refund = Remboursement
ledger-invoice = Facture { $number }
