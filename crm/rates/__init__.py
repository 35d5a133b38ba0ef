"""Exchange rates to NOK, maintained by the administrators, for the pipeline's and dashboard's totals."""
