-- Fiscal events read from the XML (extract/nfxml Event: NF-e procEventoNFe,
-- NFS-e Nacional evento), one row each, typed, with the invoice the access
-- key names, by the key's layout:
--   NF-e chNFe (44)   cUF 2, AAMM 4, CNPJ 14 (7–20), mod 2 (21–22),
--                     serie 3 (23–25), nNF 9 (26–34), tpEmis, cNF, cDV
--   NFS-e chNFSe (50) cMun 7, ambGer 1, tpInsc 1, CNPJ 14 (10–23),
--                     nNFSe 13 (24–36), AAMM 4, cNum 9, DV 1
-- Numbers and series without leading zeros, as core/invoices keeps them; an
-- NFS-e has no series. is_registered: an NF-e event with SEFAZ's answer
-- cStat 135 (registered and linked to the NF-e), 136 (registered, not
-- linked) or 155 (cancellation registered past its deadline); an NFS-e
-- Nacional evento is the national record of a registered event. event_kind:
-- cancellation (NF-e 110111, NFS-e 101101), substitution (NFS-e 105102,
-- substitute_key names the new NFS-e), correction_letter (NF-e 110110: a
-- carta de correção, recorded, never changes a value), other.
with source as (
    select * from raw_nf where record = 'event'
),

typed as (
    select
        file_id,
        line,
        kind,
        doc_key as invoice_key,
        case kind when 'NFE' then substr(doc_key, 7, 14) else substr(doc_key, 10, 14) end as issuer_cnpj,
        case kind when 'NFE' then substr(doc_key, 21, 2) end as model,
        case kind when 'NFE' then coalesce(nullif(ltrim(substr(doc_key, 23, 3), '0'), ''), '0') end as series,
        coalesce(nullif(ltrim(case kind when 'NFE' then substr(doc_key, 26, 9) else substr(doc_key, 24, 13) end, '0'), ''), '0') as nf_number,
        trim(event_type) as event_type,
        nullif(trim(event_seq), '') as event_seq,
        try_cast(issued_at as TIMESTAMPTZ) as event_at,
        try_cast(processed_at as TIMESTAMPTZ) as registered_at,
        nullif(trim(status), '') as status_code,
        nullif(trim(event_protocol), '') as protocol,
        nullif(trim(event_reason), '') as reason,
        nullif(trim(substitute_key), '') as substitute_key
    from source
)

select
    *,
    case when substitute_key is not null then coalesce(nullif(ltrim(substr(substitute_key, 24, 13), '0'), ''), '0') end as substitute_number,
    case kind when 'NFE' then coalesce(list_contains(['135', '136', '155'], status_code), false) else true end as is_registered,
    case
        when kind = 'NFE' and event_type = '110111' then 'cancellation'
        when kind = 'NFE' and event_type = '110110' then 'correction_letter'
        when kind = 'NFSE' and event_type = '101101' then 'cancellation'
        when kind = 'NFSE' and event_type = '105102' then 'substitution'
        else 'other'
    end as event_kind,
    kind || ' ' || nf_number || coalesce('-' || series, '') as nf_label
from typed
