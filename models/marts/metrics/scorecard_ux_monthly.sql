{#- UX metrics by month: one row per month, one column per UX metric (value of the
    total slice). See cxux_metric_scorecard. -#}
{{ cxux_metric_scorecard('ux') }}
