import FolioRML

// Temporary stand-ins, replaced by their real implementations.




