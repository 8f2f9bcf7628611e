{{ cxux_raw_input('support_tickets') }}
