<?xml version="1.0" encoding="UTF-8"?>
<!--
  Folio base package: custom table reports.

  Turns the intermediate XML of a custom report (OpenERP's format, read by its custom_new.xsl)

    <report>
      <config>
        <date>14/11/2009</date>                      printed in the footer
        <PageFormat>A4</PageFormat>                  A4 | A5 | Letter (case-insensitive)
        <PageOrientation>portrait</PageOrientation>  portrait | landscape (optional, see below)
        <PageSize>210.00mm,297.00mm</PageSize>       optional; units mm, cm, in or pt
        <PageWidth>595.27</PageWidth> <PageHeight>841.88</PageHeight>   optional, points
        <tableSize>60.00mm,60.00mm,60.00mm</tableSize>   column widths; 0 = share the rest
        <report-header>Title</report-header>
        <report-footer>Footer text</report-footer>
      </config>
      <header><field align="right">Total</field>…</header>      align optional: left|center|right
      <lines><row><col tree="yes" space="10">…</col>…</row>…</lines>
    </report>

  into an RML document: title, then one <blockTable repeatRows="1"> whose header row repeats on
  every page; corporate header and "Page X of Y" footer from page.xsl.

  Page size: a known PageFormat gives the size (A5 is 148 x 210 mm); the orientation comes from
  PageOrientation, else from PageSize (wider than high = landscape), else portrait. An unknown
  format falls back to PageSize, then PageWidth/PageHeight, then A4 portrait.
  Column widths: tableSize when it has one width per column; zero widths share what is left;
  widths that add up to more than the frame are scaled down to fit. Columns whose cells are all
  numbers are right-aligned unless the field says otherwise.

  Unlike OpenERP's stylesheet this honours page format and orientation, and fits the table in the
  page whatever the widths say.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
	<xsl:import href="page.xsl"/>
	<xsl:output method="xml" encoding="UTF-8" indent="yes"/>

	<xsl:variable name="cfg" select="/report/config"/>
	<xsl:variable name="ncols" select="count(/report/header/field)"/>
	<!-- Each column's alignment as one letter (l, c, r), worked out once: per cell it would look at
	     every row again, and long reports would take time quadratic in their rows. -->
	<xsl:variable name="alignCodes">
		<xsl:for-each select="/report/header/field">
			<xsl:variable name="align"><xsl:call-template name="column-align"><xsl:with-param name="i" select="position()"/></xsl:call-template></xsl:variable>
			<xsl:value-of select="substring($align, 1, 1)"/>
		</xsl:for-each>
	</xsl:variable>

	<!-- page size -->
	<xsl:variable name="format" select="translate(normalize-space($cfg/PageFormat), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"/>
	<xsl:variable name="givenW">
		<xsl:call-template name="to-points"><xsl:with-param name="length" select="substring-before($cfg/PageSize, ',')"/></xsl:call-template>
	</xsl:variable>
	<xsl:variable name="givenH">
		<xsl:call-template name="to-points"><xsl:with-param name="length" select="substring-after($cfg/PageSize, ',')"/></xsl:call-template>
	</xsl:variable>
	<xsl:variable name="hasGivenSize" select="number($givenW) &gt; 0 and number($givenH) &gt; 0"/>
	<xsl:variable name="orientationText" select="translate(normalize-space(($cfg/PageOrientation | $cfg/orientation)[1]), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"/>
	<xsl:variable name="landscape" select="$orientationText = 'landscape' or ($orientationText != 'portrait' and $hasGivenSize and number($givenW) &gt; number($givenH))"/>
	<xsl:variable name="shortSide">
		<xsl:choose>
			<xsl:when test="$format = 'A4'">595.28</xsl:when>
			<xsl:when test="$format = 'A5'">419.53</xsl:when>
			<xsl:when test="$format = 'LETTER'">612</xsl:when>
			<xsl:otherwise>0</xsl:otherwise>
		</xsl:choose>
	</xsl:variable>
	<xsl:variable name="longSide">
		<xsl:choose>
			<xsl:when test="$format = 'A4'">841.89</xsl:when>
			<xsl:when test="$format = 'A5'">595.28</xsl:when>
			<xsl:when test="$format = 'LETTER'">792</xsl:when>
			<xsl:otherwise>0</xsl:otherwise>
		</xsl:choose>
	</xsl:variable>
	<xsl:variable name="pageWidth">
		<xsl:choose>
			<xsl:when test="number($shortSide) &gt; 0 and $landscape"><xsl:value-of select="$longSide"/></xsl:when>
			<xsl:when test="number($shortSide) &gt; 0"><xsl:value-of select="$shortSide"/></xsl:when>
			<xsl:when test="$hasGivenSize"><xsl:value-of select="$givenW"/></xsl:when>
			<xsl:when test="number($cfg/PageWidth) &gt; 0 and number($cfg/PageHeight) &gt; 0"><xsl:value-of select="number($cfg/PageWidth)"/></xsl:when>
			<xsl:otherwise>595.28</xsl:otherwise>
		</xsl:choose>
	</xsl:variable>
	<xsl:variable name="pageHeight">
		<xsl:choose>
			<xsl:when test="number($shortSide) &gt; 0 and $landscape"><xsl:value-of select="$shortSide"/></xsl:when>
			<xsl:when test="number($shortSide) &gt; 0"><xsl:value-of select="$longSide"/></xsl:when>
			<xsl:when test="$hasGivenSize"><xsl:value-of select="$givenH"/></xsl:when>
			<xsl:when test="number($cfg/PageWidth) &gt; 0 and number($cfg/PageHeight) &gt; 0"><xsl:value-of select="number($cfg/PageHeight)"/></xsl:when>
			<xsl:otherwise>841.89</xsl:otherwise>
		</xsl:choose>
	</xsl:variable>
	<!-- A5 pages get narrower margins and bands. -->
	<xsl:variable name="small" select="number($pageWidth) &lt; 500 or number($pageHeight) &lt; 500"/>
	<xsl:variable name="leftMargin"><xsl:choose><xsl:when test="$small">28.35</xsl:when><xsl:otherwise>42.52</xsl:otherwise></xsl:choose></xsl:variable>
	<xsl:variable name="rightMargin" select="$leftMargin"/>
	<xsl:variable name="topMargin"><xsl:choose><xsl:when test="$small">22.68</xsl:when><xsl:otherwise>28.35</xsl:otherwise></xsl:choose></xsl:variable>
	<xsl:variable name="bottomMargin" select="$topMargin"/>
	<xsl:variable name="title">
		<xsl:choose>
			<xsl:when test="normalize-space($cfg/report-header) != ''"><xsl:value-of select="normalize-space($cfg/report-header)"/></xsl:when>
			<xsl:otherwise>Report</xsl:otherwise>
		</xsl:choose>
	</xsl:variable>
	<xsl:variable name="reportFooter">
		<xsl:value-of select="normalize-space($cfg/report-footer)"/>
		<xsl:if test="normalize-space($cfg/report-footer) != '' and normalize-space($cfg/date) != ''"><xsl:text> · </xsl:text></xsl:if>
		<xsl:value-of select="normalize-space($cfg/date)"/>
	</xsl:variable>
	<!-- Without a corporate header the band above the body is not needed. -->
	<xsl:variable name="headerHeight"><xsl:choose><xsl:when test="//corporate-header/corporation">66</xsl:when><xsl:otherwise>0</xsl:otherwise></xsl:choose></xsl:variable>

	<!-- column widths -->
	<xsl:variable name="widthList" select="normalize-space($cfg/tableSize)"/>
	<xsl:variable name="widthCount" select="string-length($widthList) - string-length(translate($widthList, ',', '')) + 1"/>
	<xsl:variable name="useWidths" select="$widthList != '' and $widthCount = $ncols"/>
	<xsl:variable name="fixedTotal">
		<xsl:call-template name="sum-widths"><xsl:with-param name="list" select="$widthList"/></xsl:call-template>
	</xsl:variable>
	<xsl:variable name="zeroCount">
		<xsl:call-template name="count-zero"><xsl:with-param name="list" select="$widthList"/></xsl:call-template>
	</xsl:variable>
	<xsl:variable name="share">
		<xsl:choose>
			<xsl:when test="number($zeroCount) &gt; 0 and $bodyWidth - number($fixedTotal) &gt; 56.69 * number($zeroCount)"><xsl:value-of select="($bodyWidth - number($fixedTotal)) div number($zeroCount)"/></xsl:when>
			<!-- No room left: 20 mm each, and the scale below makes everything fit. -->
			<xsl:when test="number($zeroCount) &gt; 0">56.69</xsl:when>
			<xsl:otherwise>0</xsl:otherwise>
		</xsl:choose>
	</xsl:variable>
	<xsl:variable name="scale">
		<xsl:choose>
			<xsl:when test="number($fixedTotal) + number($share) * number($zeroCount) &gt; $bodyWidth"><xsl:value-of select="$bodyWidth div (number($fixedTotal) + number($share) * number($zeroCount))"/></xsl:when>
			<xsl:otherwise>1</xsl:otherwise>
		</xsl:choose>
	</xsl:variable>

	<xsl:template match="/">
		<xsl:call-template name="rml"/>
	</xsl:template>

	<xsl:template name="stylesheet">
		<xsl:call-template name="base_styles"/>
		<blockTableStyle id="custom_table">
			<blockValign value="TOP"/>
			<blockTopPadding length="3"/>
			<blockBottomPadding length="3"/>
			<lineStyle kind="LINEBELOW" colorName="#000000" thickness="0.8" start="0,0" stop="-1,0"/>
			<lineStyle kind="LINEBELOW" colorName="#d0d0d0" thickness="0.4" start="0,1" stop="-1,-1"/>
			<xsl:if test="/report/lines/row">
				<blockRowBackground colorNames="#ffffff,#f3f3f3" start="0,1" stop="-1,-1"/>
			</xsl:if>
		</blockTableStyle>
	</xsl:template>

	<xsl:template name="story">
		<para style="title"><xsl:value-of select="$title"/></para>
		<blockTable style="custom_table" repeatRows="1">
			<xsl:if test="$useWidths">
				<xsl:attribute name="colWidths">
					<xsl:call-template name="widths-out"><xsl:with-param name="list" select="$widthList"/></xsl:call-template>
				</xsl:attribute>
			</xsl:if>
			<tr>
				<xsl:for-each select="/report/header/field">
					<xsl:variable name="align" select="substring($alignCodes, position(), 1)"/>
					<td><para>
						<xsl:attribute name="style"><xsl:choose>
							<xsl:when test="$align = 'r'">head-right</xsl:when>
							<xsl:when test="$align = 'c'">head-center</xsl:when>
							<xsl:otherwise>head</xsl:otherwise>
						</xsl:choose></xsl:attribute>
						<xsl:value-of select="normalize-space(.)"/>
					</para></td>
				</xsl:for-each>
			</tr>
			<xsl:for-each select="/report/lines/row">
				<tr>
					<xsl:for-each select="col[position() &lt;= $ncols]">
						<xsl:variable name="align" select="substring($alignCodes, position(), 1)"/>
						<td><para>
							<xsl:attribute name="style"><xsl:choose>
								<xsl:when test="$align = 'r'">cell-right</xsl:when>
								<xsl:when test="$align = 'c'">cell-center</xsl:when>
								<xsl:otherwise>cell</xsl:otherwise>
							</xsl:choose></xsl:attribute>
							<xsl:if test="@tree = 'yes' and number(@space) &gt; 0">
								<xsl:attribute name="leftIndent"><xsl:value-of select="number(@space)"/></xsl:attribute>
							</xsl:if>
							<xsl:value-of select="."/>
						</para></td>
					</xsl:for-each>
					<!-- Short rows are padded so that every row has one cell per column. -->
					<xsl:call-template name="empty-cells"><xsl:with-param name="n" select="$ncols - count(col)"/></xsl:call-template>
				</tr>
			</xsl:for-each>
		</blockTable>
	</xsl:template>

	<xsl:template name="empty-cells">
		<xsl:param name="n"/>
		<xsl:if test="$n &gt; 0">
			<td/>
			<xsl:call-template name="empty-cells"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template>
		</xsl:if>
	</xsl:template>

	<!-- left | center | right for column $i: the field's align, else right when every cell is a number. -->
	<xsl:template name="column-align">
		<xsl:param name="i"/>
		<xsl:variable name="field" select="/report/header/field[$i]"/>
		<xsl:variable name="given" select="translate(normalize-space(($field/@align | /report/lines/row[1]/col[$i]/@align)[1]), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"/>
		<xsl:variable name="cells" select="/report/lines/row/col[$i][normalize-space(.) != '']"/>
		<xsl:choose>
			<xsl:when test="$given = 'right' or $given = 'center' or $given = 'left'"><xsl:value-of select="$given"/></xsl:when>
			<xsl:when test="$given = 'centre'">center</xsl:when>
			<xsl:when test="$cells and not($cells[string(number(normalize-space(.))) = 'NaN'])">right</xsl:when>
			<xsl:otherwise>left</xsl:otherwise>
		</xsl:choose>
	</xsl:template>

	<!-- Lengths: "60.00mm", "6cm", "1in", "12pt", "12" (points). -->
	<xsl:template name="to-points">
		<xsl:param name="length"/>
		<xsl:variable name="s" select="normalize-space($length)"/>
		<xsl:choose>
			<xsl:when test="$s = ''">0</xsl:when>
			<xsl:when test="substring($s, string-length($s) - 1) = 'mm'"><xsl:value-of select="number(substring($s, 1, string-length($s) - 2)) * 72 div 25.4"/></xsl:when>
			<xsl:when test="substring($s, string-length($s) - 1) = 'cm'"><xsl:value-of select="number(substring($s, 1, string-length($s) - 2)) * 72 div 2.54"/></xsl:when>
			<xsl:when test="substring($s, string-length($s) - 1) = 'in'"><xsl:value-of select="number(substring($s, 1, string-length($s) - 2)) * 72"/></xsl:when>
			<xsl:when test="substring($s, string-length($s) - 1) = 'pt'"><xsl:value-of select="number(substring($s, 1, string-length($s) - 2))"/></xsl:when>
			<xsl:otherwise><xsl:value-of select="number($s)"/></xsl:otherwise>
		</xsl:choose>
	</xsl:template>

	<xsl:template name="sum-widths">
		<xsl:param name="list"/>
		<xsl:param name="acc" select="0"/>
		<xsl:choose>
			<xsl:when test="normalize-space($list) = ''"><xsl:value-of select="$acc"/></xsl:when>
			<xsl:otherwise>
				<xsl:variable name="head"><xsl:choose><xsl:when test="contains($list, ',')"><xsl:value-of select="substring-before($list, ',')"/></xsl:when><xsl:otherwise><xsl:value-of select="$list"/></xsl:otherwise></xsl:choose></xsl:variable>
				<xsl:variable name="w"><xsl:call-template name="to-points"><xsl:with-param name="length" select="$head"/></xsl:call-template></xsl:variable>
				<xsl:variable name="add"><xsl:choose><xsl:when test="number($w) &gt; 0"><xsl:value-of select="number($w)"/></xsl:when><xsl:otherwise>0</xsl:otherwise></xsl:choose></xsl:variable>
				<xsl:call-template name="sum-widths">
					<xsl:with-param name="list" select="substring-after($list, ',')"/>
					<xsl:with-param name="acc" select="$acc + number($add)"/>
				</xsl:call-template>
			</xsl:otherwise>
		</xsl:choose>
	</xsl:template>

	<xsl:template name="count-zero">
		<xsl:param name="list"/>
		<xsl:param name="acc" select="0"/>
		<xsl:choose>
			<xsl:when test="normalize-space($list) = ''"><xsl:value-of select="$acc"/></xsl:when>
			<xsl:otherwise>
				<xsl:variable name="head"><xsl:choose><xsl:when test="contains($list, ',')"><xsl:value-of select="substring-before($list, ',')"/></xsl:when><xsl:otherwise><xsl:value-of select="$list"/></xsl:otherwise></xsl:choose></xsl:variable>
				<xsl:variable name="w"><xsl:call-template name="to-points"><xsl:with-param name="length" select="$head"/></xsl:call-template></xsl:variable>
				<xsl:call-template name="count-zero">
					<xsl:with-param name="list" select="substring-after($list, ',')"/>
					<xsl:with-param name="acc" select="$acc + number(not(number($w) &gt; 0))"/>
				</xsl:call-template>
			</xsl:otherwise>
		</xsl:choose>
	</xsl:template>

	<!-- The width list in points: zero widths get the share, everything times the scale. -->
	<xsl:template name="widths-out">
		<xsl:param name="list"/>
		<xsl:variable name="head"><xsl:choose><xsl:when test="contains($list, ',')"><xsl:value-of select="substring-before($list, ',')"/></xsl:when><xsl:otherwise><xsl:value-of select="$list"/></xsl:otherwise></xsl:choose></xsl:variable>
		<xsl:variable name="w"><xsl:call-template name="to-points"><xsl:with-param name="length" select="$head"/></xsl:call-template></xsl:variable>
		<xsl:variable name="width"><xsl:choose><xsl:when test="number($w) &gt; 0"><xsl:value-of select="number($w)"/></xsl:when><xsl:otherwise><xsl:value-of select="number($share)"/></xsl:otherwise></xsl:choose></xsl:variable>
		<xsl:value-of select="format-number(number($width) * number($scale), '0.##')"/>
		<xsl:if test="contains($list, ',')">
			<xsl:text>,</xsl:text>
			<xsl:call-template name="widths-out"><xsl:with-param name="list" select="substring-after($list, ',')"/></xsl:call-template>
		</xsl:if>
	</xsl:template>
</xsl:stylesheet>
