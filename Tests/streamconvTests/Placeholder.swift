// End-to-end tests of the streamconv binary live here.
