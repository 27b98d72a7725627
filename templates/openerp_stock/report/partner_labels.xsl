<?xml version="1.0" encoding="UTF-8"?>
<!-- Folio partner address labels: A4 sheets of 2 x 7 labels (99.1 x 38.1 mm), one label per
     partner, sorted by country, zip and name. The address printed is the partner's default
     address, else one without a type, else the first. Sheets repeat as long as there are
     partners (the page template holds the 14 label frames). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
	<xsl:output method="xml" encoding="UTF-8" indent="yes"/>

	<!-- Sheet geometry, in millimetres. -->
	<xsl:variable name="columns" select="2"/>
	<xsl:variable name="rows" select="7"/>
	<xsl:variable name="labelWidth" select="99.1"/>
	<xsl:variable name="labelHeight" select="38.1"/>
	<xsl:variable name="left" select="4.65"/>
	<xsl:variable name="columnPitch" select="101.6"/>
	<xsl:variable name="top" select="15.15"/>

	<xsl:template match="/">
		<document filename="labels.pdf" title="Address labels" author="Folio">
			<template pagesize="(595.28,841.89)" title="Address labels" author="Folio">
				<pageTemplate id="sheet">
					<xsl:call-template name="frames"/>
				</pageTemplate>
			</template>
			<stylesheet>
				<paraStyle name="line" fontName="Helvetica" fontSize="10" leading="12.5"/>
				<paraStyle name="name" parent="line" fontName="Helvetica-Bold"/>
			</stylesheet>
			<story>
				<xsl:for-each select="/labels/partner">
					<xsl:sort select="translate(normalize-space((address[kind = 'default'] | address[not(../address[kind = 'default'])][normalize-space(kind) = ''] | address[not(../address[kind = 'default' or normalize-space(kind) = ''])])[1]/country), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"/>
					<xsl:sort select="normalize-space((address[kind = 'default'] | address[not(../address[kind = 'default'])][normalize-space(kind) = ''] | address[not(../address[kind = 'default' or normalize-space(kind) = ''])])[1]/zip)"/>
					<xsl:sort select="translate(normalize-space(name), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"/>
					<xsl:call-template name="label"/>
					<xsl:if test="position() != last()">
						<nextFrame/>
					</xsl:if>
				</xsl:for-each>
			</story>
		</document>
	</xsl:template>

	<xsl:template name="frames">
		<xsl:param name="i" select="0"/>
		<xsl:if test="$i &lt; $columns * $rows">
			<xsl:variable name="col" select="$i mod $columns"/>
			<xsl:variable name="row" select="floor($i div $columns)"/>
			<frame id="label{$i + 1}" leftPadding="14" rightPadding="8" topPadding="9" bottomPadding="4">
				<xsl:attribute name="x1"><xsl:value-of select="concat(format-number($left + $col * $columnPitch, '0.##'), 'mm')"/></xsl:attribute>
				<xsl:attribute name="y1"><xsl:value-of select="concat(format-number(297 - $top - ($row + 1) * $labelHeight, '0.##'), 'mm')"/></xsl:attribute>
				<xsl:attribute name="width"><xsl:value-of select="concat($labelWidth, 'mm')"/></xsl:attribute>
				<xsl:attribute name="height"><xsl:value-of select="concat($labelHeight, 'mm')"/></xsl:attribute>
			</frame>
			<xsl:call-template name="frames"><xsl:with-param name="i" select="$i + 1"/></xsl:call-template>
		</xsl:if>
	</xsl:template>

	<xsl:template name="label">
		<xsl:variable name="a" select="(address[kind = 'default'] | address[not(../address[kind = 'default'])][normalize-space(kind) = ''] | address[not(../address[kind = 'default' or normalize-space(kind) = ''])])[1]"/>
		<para style="name"><xsl:value-of select="normalize-space(concat(name, ' ', title))"/></para>
		<xsl:if test="normalize-space($a/contact) != ''">
			<para style="line"><xsl:value-of select="normalize-space(concat($a/title, ' ', $a/contact))"/></para>
		</xsl:if>
		<xsl:if test="normalize-space($a/street) != ''"><para style="line"><xsl:value-of select="$a/street"/></para></xsl:if>
		<xsl:if test="normalize-space($a/street2) != ''"><para style="line"><xsl:value-of select="$a/street2"/></para></xsl:if>
		<para style="line"><xsl:value-of select="normalize-space(concat($a/zip, ' ', $a/city))"/><xsl:if test="normalize-space($a/state) != ''">, <xsl:value-of select="$a/state"/></xsl:if></para>
		<xsl:if test="normalize-space($a/country) != ''"><para style="name"><xsl:value-of select="translate($a/country, 'abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿ', 'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ')"/></para></xsl:if>
	</xsl:template>
</xsl:stylesheet>
