// Package nfxml parses Brazilian electronic invoices (NF-e 4.00 and NFS-e Nacional) with a streaming decoder.
//
// Parse reads one file token by token with encoding/xml and emits a Document
// as soon as each invoice element closes, so a batch file never has to fit in
// memory. Amounts are kept as the decimal text found in the XML: the
// reconciliation compares cents and must never see float rounding.
//
// Recognised document elements, matched by local name and namespace (the
// official one, or none, since some exporters drop xmlns):
//
//	nfeProc, NFe  http://www.portalfiscal.inf.br/nfe   (KindNFe)
//	NFSe          http://www.sped.fazenda.gov.br/nfse  (KindNFSe)
//
// Any other root is treated as an envelope and searched for those elements; a
// file holding none of them is reported with ErrNotInvoice.
package nfxml
