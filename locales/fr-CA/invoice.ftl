# La facture PDF. $number est son numéro, $account celui du compte, $currency le code ISO de la devise.

invoice-document-title = Facture { $number }
invoice-title = FACTURE
invoice-number = N° de facture
invoice-issued = Émise le
invoice-due = Payable le
invoice-bill-to = FACTURER À
invoice-account = Compte { $account }
invoice-billing-period = PÉRIODE DE FACTURATION
invoice-period = du { $start } au { $end }
invoice-amount-due-heading = MONTANT DÛ ({ $currency })
invoice-continued = Facture { $number } (suite)
invoice-description = Description
invoice-quantity = Qté
invoice-unit-price = Prix unitaire
invoice-amount = Montant
invoice-subtotal = Sous-total
invoice-total = Total
invoice-amount-due = Montant dû ({ $currency })
invoice-call-summary = SOMMAIRE DES APPELS
invoice-calls = { $count ->
    [one] { $count } appel facturé, { $hours } h { $minutes } min, { $charges }
   *[other] { $count } appels facturés, { $hours } h { $minutes } min, { $charges }
}
invoice-footer = Facture { $number } · Page { $page } de { $pages }
invoice-tax-registration = TPS/TVH { $registration }
invoice-tax = { $name } { $rate } %
# Les taxes de vente du Canada, en français.
tax-name = { $name ->
    [GST] TPS
    [HST] TVH
    [PST] TVP
    [QST] TVQ
   *[other] { $name }
}
