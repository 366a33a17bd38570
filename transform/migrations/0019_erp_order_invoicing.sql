-- What an ERP records of an order line's invoicing on the line itself
-- (issue 25): the invoice that billed it and the quantity invoiced
-- (delivered) so far, Protheus' C6_NOTA and C6_QTDENT. stg_erp_orders reads a
-- line invoiced in full as invoiced (docs/erp.md).
ALTER TABLE raw_erp_orders ADD COLUMN invoice_number VARCHAR;
ALTER TABLE raw_erp_orders ADD COLUMN invoiced_quantity VARCHAR;
