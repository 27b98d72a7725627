<?xml version="1.0" encoding="UTF-8"?>
<!--
  ledger_rml.xsl for Folio's chunked transforms (see ChunkedTransform): the same RML, produced
  head first and then the lines a chunk at a time, so the data and the RML are never whole in
  memory. Differences from ledger_rml.xsl: the folio-chunk / folio-records parameters, and the grand
  total's count and sum come from the root's count and total attributes instead of count(line) and
  sum(line/amount). Without folio-chunk set it gives the whole document, as ledger_rml.xsl does.

  ledger data (gen_data.py) -> RML for z3c.rml (ReportLab).
    xsltproc -o out.rml ledger_rml.xsl data.xml && rml2pdf out.rml out.pdf
  Layout: see README.md "The report". Plain-text <td> content is taken by
  z3c.rml as raw markup (so '&amp;' would print literally): cells whose text may
  hold '&' or '<' (the partner) go through a <para> when they do. 'Page X of Y' uses the usual z3c.rml
  idiom (namedString at the end of the story + getName in the page graphics),
  which makes ReportLab lay the whole story out twice (multiBuild).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:param name="fontdir" select="'/usr/share/fonts/truetype/liberation2'"/>
  <xsl:param name="folio-chunk" select="''"/>
  <xsl:param name="folio-records" select="'line'"/>

  <xsl:template match="/ledger">
    <xsl:choose>
      <xsl:when test="$folio-chunk = 'records'"><rows><xsl:apply-templates select="line"/></rows></xsl:when>
      <xsl:otherwise><xsl:call-template name="document"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="document">
    <document filename="ledger.pdf" invariant="1" compression="1"
              title="{@title}" author="{@company}">
      <docinit>
        <registerTTFont faceName="LiberationSans"
                        fileName="{$fontdir}/LiberationSans-Regular.ttf"/>
        <registerTTFont faceName="LiberationSans-Bold"
                        fileName="{$fontdir}/LiberationSans-Bold.ttf"/>
        <registerFontFamily name="LiberationSans" normal="LiberationSans"
                            bold="LiberationSans-Bold" italic="LiberationSans"
                            boldItalic="LiberationSans-Bold"/>
      </docinit>
      <template pagesize="(21cm, 29.7cm)" leftMargin="2cm" rightMargin="2cm"
                topMargin="2cm" bottomMargin="2cm">
        <pageTemplate id="main">
          <pageGraphics>
            <setFont name="LiberationSans-Bold" size="14"/>
            <drawString x="2cm" y="28.2cm"><xsl:value-of select="@title"/></drawString>
            <setFont name="LiberationSans" size="8"/>
            <drawRightString x="19cm" y="28.2cm"><xsl:value-of select="@company"/></drawRightString>
            <lineMode width="0.5"/>
            <lines>2cm 28cm 19cm 28cm</lines>
            <drawCentredString x="10.5cm" y="1.2cm">Page <pageNumber/> of <getName id="lastPage" default="?"/></drawCentredString>
          </pageGraphics>
          <frame id="body" x1="2cm" y1="2cm" width="17cm" height="25.7cm"
                 leftPadding="0" rightPadding="0" topPadding="0" bottomPadding="0"/>
        </pageTemplate>
      </template>
      <stylesheet>
        <paraStyle name="cell" fontName="LiberationSans" fontSize="8" leading="10"/>
        <blockTableStyle id="ledger">
          <blockFont name="LiberationSans" size="8" leading="10"/>
          <blockFont name="LiberationSans-Bold" size="8" leading="10" start="0,0" stop="-1,0"/>
          <blockFont name="LiberationSans-Bold" size="8" leading="10" start="0,-1" stop="-1,-1"/>
          <blockTopPadding length="2"/>
          <blockBottomPadding length="2"/>
          <blockLeftPadding length="3"/>
          <blockRightPadding length="3"/>
          <blockValign value="TOP"/>
          <blockAlignment value="RIGHT" start="4,0" stop="-1,-1"/>
          <blockAlignment value="LEFT" start="0,-1" stop="0,-1"/>
          <blockBackground colorName="#D9D9D9" start="0,0" stop="-1,0"/>
          <blockRowBackground colorNames="white #F0F0F0" start="0,1" stop="-1,-2"/>
          <lineStyle kind="LINEBELOW" colorName="black" thickness="0.5" start="0,0" stop="-1,0"/>
          <lineStyle kind="LINEABOVE" colorName="black" thickness="0.5" start="0,-1" stop="-1,-1"/>
          <blockSpan start="0,-1" stop="5,-1"/>
        </blockTableStyle>
      </stylesheet>
      <story>
        <blockTable style="ledger" repeatRows="1"
                    colWidths="1.8cm 1.9cm 3.4cm 4.6cm 1.0cm 1.8cm 2.5cm">
          <tr><td>Date</td><td>Reference</td><td>Partner</td><td>Description</td><td>Qty</td><td>Unit price</td><td>Amount</td></tr>
          <xsl:choose>
            <xsl:when test="$folio-chunk = 'head'"><folio-records/></xsl:when>
            <xsl:otherwise><xsl:apply-templates select="line"/></xsl:otherwise>
          </xsl:choose>
          <tr><td>Grand total (<xsl:value-of select="format-number(@count, '#,##0')"/> lines)</td><td/><td/><td/><td/><td/><td><xsl:value-of select="format-number(@total, '#,##0.00')"/></td></tr>
        </blockTable>
        <namedString id="lastPage"><pageNumber/></namedString>
      </story>
    </document>
  </xsl:template>

  <xsl:template match="line">
    <tr><td><xsl:value-of select="date"/></td><td><xsl:value-of select="ref"/></td><td><xsl:choose><xsl:when test="contains(partner, '&amp;') or contains(partner, '&lt;')"><para style="cell"><xsl:value-of select="partner"/></para></xsl:when><xsl:otherwise><xsl:value-of select="partner"/></xsl:otherwise></xsl:choose></td><td><para style="cell"><xsl:value-of select="desc"/></para></td><td><xsl:value-of select="qty"/></td><td><xsl:value-of select="format-number(price, '#,##0.00')"/></td><td><xsl:value-of select="format-number(amount, '#,##0.00')"/></td></tr><xsl:text>&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
