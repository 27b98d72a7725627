<?xml version="1.0" encoding="UTF-8"?>
<!--
  Folio base package: the shared RML page framework (the idea of OpenERP's rml_template.xsl and
  corporate_defaults.xsl, written for Folio).

  Import it from a report stylesheet:
      <xsl:import href="../../base/xsl/page.xsl"/>        (from <package>/report/x.xsl)
  call the `rml` template from the root template, and override what you need:

  variables (numbers in points unless said otherwise)
      pageWidth, pageHeight      page size (default A4 portrait: 595.28 x 841.89)
      leftMargin, rightMargin, topMargin, bottomMargin   (default 1.5 cm left/right, 1 cm top/bottom)
      headerHeight, footerHeight bands reserved for the corporate header and the footer
      title, author              document metadata
      reportFooter               text printed at the bottom left of every page
  hook templates
      stylesheet                 paraStyles and blockTableStyles (a default set is provided)
      story                      the flowing content
      first_page_frames, other_pages_frames          default: one frame filling the body
      first_page_graphics_report, other_pages_graphics_report   extra page graphics (default none)

  Every page gets the corporate header (company name, slogan, address, phone and e-mail read
  from //corporate-header, drawn only when present) and a footer with the company's footer lines,
  reportFooter and "Page X of Y" (<pageNumber/>, <pageCount/>). The main frame is
  named "main" and fills the space between the bands; variables bodyX, bodyY, bodyWidth,
  bodyHeight give its geometry.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
	<xsl:output method="xml" encoding="UTF-8" indent="yes"/>

	<xsl:variable name="pageWidth" select="595.28"/>
	<xsl:variable name="pageHeight" select="841.89"/>
	<xsl:variable name="leftMargin" select="42.52"/>
	<xsl:variable name="rightMargin" select="42.52"/>
	<xsl:variable name="topMargin" select="28.35"/>
	<xsl:variable name="bottomMargin" select="28.35"/>
	<xsl:variable name="headerHeight" select="66"/>
	<xsl:variable name="footerHeight" select="44"/>
	<xsl:variable name="title" select="'Report'"/>
	<xsl:variable name="author" select="'Folio'"/>
	<xsl:variable name="reportFooter" select="''"/>

	<xsl:variable name="corp" select="//corporate-header/corporation"/>
	<xsl:variable name="bodyX" select="$leftMargin"/>
	<xsl:variable name="bodyY" select="$bottomMargin + $footerHeight"/>
	<xsl:variable name="bodyWidth" select="$pageWidth - $leftMargin - $rightMargin"/>
	<xsl:variable name="bodyHeight" select="$pageHeight - $topMargin - $bottomMargin - $headerHeight - $footerHeight"/>

	<!-- A number as RML wants it: at most two decimals, no exponent. -->
	<xsl:template name="pt">
		<xsl:param name="value"/>
		<xsl:value-of select="format-number($value, '0.##')"/>
	</xsl:template>

	<xsl:template name="rml">
		<document filename="report.pdf">
			<xsl:attribute name="title"><xsl:value-of select="$title"/></xsl:attribute>
			<xsl:attribute name="author"><xsl:value-of select="$author"/></xsl:attribute>
			<template>
				<xsl:attribute name="pagesize">
					<xsl:value-of select="concat('(', format-number($pageWidth, '0.##'), ',', format-number($pageHeight, '0.##'), ')')"/>
				</xsl:attribute>
				<xsl:attribute name="title"><xsl:value-of select="$title"/></xsl:attribute>
				<xsl:attribute name="author"><xsl:value-of select="$author"/></xsl:attribute>
				<pageTemplate id="first_page" autoNextTemplate="other_pages">
					<pageGraphics>
						<xsl:call-template name="corporate_header_graphics"/>
						<xsl:call-template name="footer_graphics"/>
						<xsl:call-template name="first_page_graphics_report"/>
					</pageGraphics>
					<xsl:call-template name="first_page_frames"/>
				</pageTemplate>
				<pageTemplate id="other_pages">
					<pageGraphics>
						<xsl:call-template name="corporate_header_graphics"/>
						<xsl:call-template name="footer_graphics"/>
						<xsl:call-template name="other_pages_graphics_report"/>
					</pageGraphics>
					<xsl:call-template name="other_pages_frames"/>
				</pageTemplate>
			</template>
			<stylesheet>
				<xsl:call-template name="stylesheet"/>
			</stylesheet>
			<story firstPageTemplate="first_page">
				<xsl:call-template name="story"/>
			</story>
		</document>
	</xsl:template>

	<!-- hooks -->
	<xsl:template name="first_page_graphics_report"/>
	<xsl:template name="other_pages_graphics_report"/>
	<xsl:template name="story"/>

	<xsl:template name="main_frame">
		<frame id="main">
			<xsl:attribute name="x1"><xsl:value-of select="format-number($bodyX, '0.##')"/></xsl:attribute>
			<xsl:attribute name="y1"><xsl:value-of select="format-number($bodyY, '0.##')"/></xsl:attribute>
			<xsl:attribute name="width"><xsl:value-of select="format-number($bodyWidth, '0.##')"/></xsl:attribute>
			<xsl:attribute name="height"><xsl:value-of select="format-number($bodyHeight, '0.##')"/></xsl:attribute>
		</frame>
	</xsl:template>
	<xsl:template name="first_page_frames"><xsl:call-template name="main_frame"/></xsl:template>
	<xsl:template name="other_pages_frames"><xsl:call-template name="main_frame"/></xsl:template>

	<xsl:template name="stylesheet">
		<xsl:call-template name="base_styles"/>
	</xsl:template>

	<!-- Paragraph styles every report may use. -->
	<xsl:template name="base_styles">
		<paraStyle name="normal" fontName="Helvetica" fontSize="9" leading="11.5"/>
		<paraStyle name="title" fontName="Helvetica-Bold" fontSize="16" leading="20" alignment="center" spaceAfter="10"/>
		<paraStyle name="heading" fontName="Helvetica-Bold" fontSize="11" leading="14" spaceBefore="6" spaceAfter="4"/>
		<paraStyle name="cell" fontName="Helvetica" fontSize="9" leading="11"/>
		<paraStyle name="cell-right" parent="cell" alignment="right"/>
		<paraStyle name="cell-center" parent="cell" alignment="center"/>
		<paraStyle name="head" fontName="Helvetica-Bold" fontSize="9" leading="11"/>
		<paraStyle name="head-right" parent="head" alignment="right"/>
		<paraStyle name="head-center" parent="head" alignment="center"/>
	</xsl:template>

	<!-- Corporate header: company name and slogan, address lines, a rule under the band. -->
	<xsl:template name="corporate_header_graphics">
		<xsl:variable name="top" select="$pageHeight - $topMargin"/>
		<xsl:variable name="right" select="$pageWidth - $rightMargin"/>
		<xsl:if test="$corp">
			<fill color="black"/>
			<setFont name="Helvetica-Bold" size="13"/>
			<drawString x="{format-number($leftMargin, '0.##')}" y="{format-number($top - 13, '0.##')}"><xsl:value-of select="normalize-space(concat($corp/title[. != ''], ' ', $corp/name))"/></drawString>
			<setFont name="Helvetica-Oblique" size="9"/>
			<drawRightString x="{format-number($right, '0.##')}" y="{format-number($top - 13, '0.##')}"><xsl:value-of select="$corp/rml_header1"/></drawRightString>
			<setFont name="Helvetica" size="8.5"/>
			<xsl:variable name="a" select="$corp/address[1]"/>
			<xsl:if test="normalize-space($a/street) != ''">
				<drawString x="{format-number($leftMargin, '0.##')}" y="{format-number($top - 26, '0.##')}"><xsl:value-of select="$a/street"/></drawString>
			</xsl:if>
			<xsl:variable name="place">
				<xsl:value-of select="normalize-space(concat($a/zip, ' ', $a/city))"/>
				<xsl:if test="normalize-space($a/state) != ''">
					<xsl:text>, </xsl:text><xsl:value-of select="$a/state"/>
				</xsl:if>
				<xsl:if test="normalize-space($a/country) != ''">
					<xsl:if test="normalize-space(concat($a/zip, $a/city, $a/state)) != ''"><xsl:text> – </xsl:text></xsl:if>
					<xsl:value-of select="$a/country"/>
				</xsl:if>
			</xsl:variable>
			<xsl:if test="normalize-space($place) != ''">
				<drawString x="{format-number($leftMargin, '0.##')}" y="{format-number($top - 37, '0.##')}"><xsl:value-of select="$place"/></drawString>
			</xsl:if>
			<xsl:variable name="contact">
				<xsl:if test="normalize-space($a/phone) != ''">Phone: <xsl:value-of select="$a/phone"/></xsl:if>
				<xsl:if test="normalize-space($a/phone) != '' and normalize-space($a/email) != ''"><xsl:text> · </xsl:text></xsl:if>
				<xsl:if test="normalize-space($a/email) != ''">E-mail: <xsl:value-of select="$a/email"/></xsl:if>
			</xsl:variable>
			<xsl:if test="normalize-space($contact) != ''">
				<drawString x="{format-number($leftMargin, '0.##')}" y="{format-number($top - 48, '0.##')}"><xsl:value-of select="$contact"/></drawString>
			</xsl:if>
			<stroke color="#808080"/>
			<lineMode width="0.6"/>
			<lines><xsl:value-of select="concat(format-number($leftMargin, '0.##'), ' ', format-number($top - $headerHeight + 8, '0.##'), ' ', format-number($right, '0.##'), ' ', format-number($top - $headerHeight + 8, '0.##'))"/></lines>
		</xsl:if>
	</xsl:template>

	<!-- Footer: a rule, the company's footer lines, the report footer and "Page X of Y". -->
	<xsl:template name="footer_graphics">
		<xsl:variable name="right" select="$pageWidth - $rightMargin"/>
		<xsl:variable name="ruleY" select="$bottomMargin + $footerHeight - 8"/>
		<stroke color="#808080"/>
		<lineMode width="0.6"/>
		<lines><xsl:value-of select="concat(format-number($leftMargin, '0.##'), ' ', format-number($ruleY, '0.##'), ' ', format-number($right, '0.##'), ' ', format-number($ruleY, '0.##'))"/></lines>
		<fill color="#404040"/>
		<setFont name="Helvetica" size="7.5"/>
		<xsl:if test="normalize-space($corp/rml_footer1) != ''">
			<drawCentredString x="{format-number($pageWidth div 2, '0.##')}" y="{format-number($ruleY - 10, '0.##')}"><xsl:value-of select="$corp/rml_footer1"/></drawCentredString>
		</xsl:if>
		<xsl:if test="normalize-space($corp/rml_footer2) != ''">
			<drawCentredString x="{format-number($pageWidth div 2, '0.##')}" y="{format-number($ruleY - 19, '0.##')}"><xsl:value-of select="$corp/rml_footer2"/></drawCentredString>
		</xsl:if>
		<setFont name="Helvetica" size="8"/>
		<xsl:if test="normalize-space($reportFooter) != ''">
			<drawString x="{format-number($leftMargin, '0.##')}" y="{format-number($bottomMargin, '0.##')}"><xsl:value-of select="$reportFooter"/></drawString>
		</xsl:if>
		<drawRightString x="{format-number($right, '0.##')}" y="{format-number($bottomMargin, '0.##')}">Page <pageNumber/> of <pageCount/></drawRightString>
	</xsl:template>
</xsl:stylesheet>
