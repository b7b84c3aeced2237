"""The phases of a solve, each from plain values to plain values: ``construct`` the
first plan, ``improve`` it, ``bound`` each goal; ``stages`` is how they solve a model."""
