<?xml version="1.0" encoding="UTF-8"?>
<!-- Folio packing list: one section per picking (reference, dates, shipping address, then the
     moves in a table whose header row repeats on every page), a page break between pickings.
     Built on the base package's page framework (corporate header, "Page X of Y"). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
	<xsl:import href="../../base/xsl/page.xsl"/>
	<xsl:output method="xml" encoding="UTF-8" indent="yes"/>

	<xsl:variable name="title" select="'Packing list'"/>

	<xsl:template match="/">
		<xsl:call-template name="rml"/>
	</xsl:template>

	<xsl:template name="stylesheet">
		<xsl:call-template name="base_styles"/>
		<paraStyle name="doc-title" fontName="Helvetica-Bold" fontSize="15" leading="18" spaceAfter="8"/>
		<paraStyle name="label" fontName="Helvetica-Bold" fontSize="7.5" leading="9.5" textColor="#707070"/>
		<paraStyle name="address" fontName="Helvetica" fontSize="10" leading="13"/>
		<paraStyle name="address-name" parent="address" fontName="Helvetica-Bold"/>
		<blockTableStyle id="infos">
			<blockValign value="TOP"/>
			<blockBackground colorName="#eeeeee" start="0,0" stop="-1,0"/>
			<lineStyle kind="BOX" colorName="#c0c0c0" thickness="0.5"/>
			<lineStyle kind="INNERGRID" colorName="#c0c0c0" thickness="0.5"/>
		</blockTableStyle>
		<blockTableStyle id="layout">
			<blockValign value="TOP"/>
			<blockLeftPadding length="0"/>
		</blockTableStyle>
		<blockTableStyle id="moves">
			<blockValign value="TOP"/>
			<lineStyle kind="LINEBELOW" colorName="#000000" thickness="0.8" start="0,0" stop="-1,0"/>
			<lineStyle kind="LINEBELOW" colorName="#d0d0d0" thickness="0.4" start="0,1" stop="-1,-1"/>
		</blockTableStyle>
	</xsl:template>

	<xsl:template name="story">
		<xsl:apply-templates select="/packing-list/picking"/>
	</xsl:template>

	<xsl:template match="picking">
		<para style="doc-title" t="1">Packing list <xsl:value-of select="reference"/></para>
		<blockTable style="layout">
			<xsl:attribute name="colWidths">
				<xsl:value-of select="concat(format-number($bodyWidth * 0.55, '0.##'), ',', format-number($bodyWidth * 0.45, '0.##'))"/>
			</xsl:attribute>
			<tr>
				<td>
					<blockTable style="infos" colWidths="2.6cm,2.6cm,2.8cm">
						<tr>
							<td><para style="label" t="1">Order</para></td>
							<td><para style="label" t="1">Date</para></td>
							<td><para style="label" t="1">Shipped</para></td>
						</tr>
						<tr>
							<td><para style="cell"><xsl:value-of select="origin"/></para></td>
							<td><para style="cell"><xsl:value-of select="substring(date, 1, 10)"/></para></td>
							<td><para style="cell"><xsl:value-of select="substring(shipping-date, 1, 10)"/></para></td>
						</tr>
					</blockTable>
				</td>
				<td>
					<para style="label" t="1">Ship to</para>
					<xsl:apply-templates select="customer"/>
				</td>
			</tr>
		</blockTable>
		<spacer length="0.6cm"/>
		<blockTable style="moves" repeatRows="1">
			<xsl:attribute name="colWidths">
				<xsl:value-of select="concat('2.2cm,', format-number($bodyWidth - 2.2 * 28.35 - 2.8 * 28.35 - 2.2 * 28.35 - 2.6 * 28.35 - 2 * 28.35, '0.##'), ',2.8cm,2.2cm,2.6cm,2cm')"/>
			</xsl:attribute>
			<tr>
				<td><para style="head" t="1">Code</para></td>
				<td><para style="head" t="1">Product</para></td>
				<td><para style="head" t="1">Lot / serial</para></td>
				<td><para style="head" t="1">Location</para></td>
				<td><para style="head-right" t="1">Quantity</para></td>
				<td><para style="head-right" t="1">State</para></td>
			</tr>
			<xsl:for-each select="moves/move">
				<tr>
					<td><para style="cell"><xsl:value-of select="code"/></para></td>
					<td><para style="cell"><xsl:value-of select="normalize-space(concat(product, ' ', variant))"/></para></td>
					<td><para style="cell"><xsl:value-of select="normalize-space(concat(lot/name, ' ', lot/serial))"/></para></td>
					<td><para style="cell"><xsl:value-of select="location"/></para></td>
					<td><para style="cell-right"><xsl:value-of select="normalize-space(concat(quantity, ' ', uom))"/></para></td>
					<td><para style="cell-right"><xsl:value-of select="state"/></para></td>
				</tr>
			</xsl:for-each>
		</blockTable>
		<xsl:if test="position() != last()">
			<pageBreak/>
		</xsl:if>
	</xsl:template>

	<xsl:template match="customer">
		<para style="address-name"><xsl:value-of select="company"/></para>
		<xsl:if test="normalize-space(name) != '' and name != company">
			<para style="address"><xsl:value-of select="normalize-space(concat(title, ' ', name))"/></para>
		</xsl:if>
		<para style="address"><xsl:value-of select="street"/></para>
		<xsl:if test="normalize-space(street2) != ''"><para style="address"><xsl:value-of select="street2"/></para></xsl:if>
		<para style="address"><xsl:value-of select="normalize-space(concat(zip, ' ', city))"/></para>
		<xsl:if test="normalize-space(state) != ''"><para style="address"><xsl:value-of select="state"/></para></xsl:if>
		<para style="address"><xsl:value-of select="country"/></para>
	</xsl:template>
</xsl:stylesheet>
