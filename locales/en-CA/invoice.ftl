# The invoice PDF. $number is the invoice's, $account the account's, $currency its ISO code.

invoice-document-title = Invoice { $number }
invoice-title = INVOICE
invoice-number = Invoice no.
invoice-issued = Issued
invoice-due = Due
invoice-bill-to = BILL TO
invoice-account = Account { $account }
invoice-billing-period = BILLING PERIOD
invoice-period = { $start } to { $end }
invoice-amount-due-heading = AMOUNT DUE ({ $currency })
invoice-continued = Invoice { $number } (continued)
invoice-description = Description
invoice-quantity = Qty
invoice-unit-price = Unit price
invoice-amount = Amount
invoice-subtotal = Subtotal
invoice-total = Total
invoice-amount-due = Amount due ({ $currency })
invoice-call-summary = CALL SUMMARY
invoice-calls = { $count } calls billed, { $hours } h { $minutes } min, { $charges }
invoice-footer = Invoice { $number } · Page { $page } of { $pages }
# The carrier's tax registration, printed under its address.
invoice-tax-registration = GST/HST { $registration }
# A tax line: its name (as the billing engine sends it: GST, HST, PST, QST) and rate.
invoice-tax = { $name } { $rate }%
# The name of a Canadian sales tax.
tax-name = { $name }
