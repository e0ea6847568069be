"""Home care rota optimiser: caseloads in, a week's rota out."""
