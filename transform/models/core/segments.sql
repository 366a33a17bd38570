-- Market segments as price lists and the customer master spell them,
-- mapped to one key: Microsoft's Commercial/Education/Government,
-- Adobe's COM/EDU/GOV. A customer segment not listed here (Corporate,
-- SMB...) is a size, not a licensing segment: it buys Commercial prices.
-- check: unique(alias)
select * from (values
    ('commercial', 'commercial'),
    ('com', 'commercial'),
    ('education', 'education'),
    ('edu', 'education'),
    ('academic', 'education'),
    ('government', 'government'),
    ('gov', 'government'),
    ('nonprofit', 'nonprofit'),
    ('charity', 'nonprofit')
) as t(alias, segment_key)
