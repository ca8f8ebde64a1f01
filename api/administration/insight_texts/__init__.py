"""Insight texts (manual 3.5): the neutral default text of each insight (Positivt, Negativt,
Tekniskt fel, Svar) the citizen reads when neither the result template nor the offer has its
own; read by every administrator, changed by central administrators."""
