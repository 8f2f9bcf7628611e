{{ cxux_raw_input('ticket_events') }}
