{{ cxux_raw_input('survey_item_answers') }}
