<cdl:ColorCorrection id="x" xmlns:cdl="urn:ASC:CDL:v1.01"><cdl:SOPNode><cdl:Slope>1 2 3</cdl:Slope></cdl:SOPNode><cdl:SatNode><cdl:Saturation>1.5</cdl:Saturation></cdl:SatNode></cdl:ColorCorrection>
