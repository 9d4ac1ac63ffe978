"""DY-PR unreasonable pricing: one detector per way a price misleads, each in its own file.

shipping_fee (fee far above the price), bait_sku (a part of the set priced to bait the
listing's price), mixed_spu (different goods bound under one SPU), advertised_price (a price in
the text the buyer is never charged) and comparison_price (a "was" price never charged).
"""
