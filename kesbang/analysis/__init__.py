"""Analyses over the Dataset: achievement metrics, regional comparison, RPJMD alignment, measurability,
inspiration between regencies, Paskibraka funnels, values programs and outcome indices."""
