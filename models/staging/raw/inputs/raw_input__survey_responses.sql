{{ cxux_raw_input('survey_responses') }}
